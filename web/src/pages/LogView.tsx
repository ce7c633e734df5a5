// A step's log, live: numbered lines with ANSI colours and the seconds since the step started, virtualised
// (only the visible lines are in the page, so 10,000 lines stay fast), following the end while the user
// has not scrolled up, with a link to each line (#L12) and a download once the step is over.

import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { Line } from '../api/types';
import { AnsiText } from '../components/AnsiText';
import type { LogState } from '../live/use-log-stream';

const LINE_HEIGHT = 20;

interface Props {
  lines: Line[];
  state: LogState;
  /** The file name of a download. */
  name: string;
}

export function LogView({ lines, state, name }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const linked = useLinkedLine();
  // A link to a line holds the view there; otherwise the view follows the end.
  const [follow, setFollow] = useState(linked === undefined);
  const virtualizer = useVirtualizer({ count: lines.length, getScrollElement: () => scroller.current, estimateSize: () => LINE_HEIGHT, overscan: 30 });

  useEffect(() => {
    if (linked !== undefined) setFollow(false);
  }, [linked]);

  useLayoutEffect(() => {
    if (follow && lines.length > 0) virtualizer.scrollToIndex(lines.length - 1, { align: 'end' });
    else if (linked !== undefined && linked <= lines.length) virtualizer.scrollToIndex(linked - 1, { align: 'center' });
  }, [lines.length, follow, linked, virtualizer]);

  function onScroll() {
    const element = scroller.current;
    if (!element) return;
    const atEnd = element.scrollTop + element.clientHeight >= element.scrollHeight - LINE_HEIGHT * 2;
    if (!atEnd && follow) setFollow(false);
  }

  return (
    <div className="log">
      <div className="log-toolbar">
        <span className="log-count" aria-live="polite">
          {lines.length} {lines.length === 1 ? 'line' : 'lines'}
        </span>
        {state !== 'ended' ? (
          <button type="button" aria-pressed={follow} onClick={() => setFollow(!follow)}>
            Follow
          </button>
        ) : (
          <button type="button" onClick={() => download(lines, name)}>
            Download
          </button>
        )}
      </div>
      <div className="log-lines" ref={scroller} onScroll={onScroll} tabIndex={0} role="region" aria-label="Log lines">
        {lines.length === 0 ? <p className="log-empty">{state === 'ended' ? 'No output.' : 'Waiting for output…'}</p> : null}
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const line = lines[item.index];
            if (!line) return null;
            return (
              <div key={line.pos} className={`log-line${linked === item.index + 1 ? ' linked' : ''}`} style={{ transform: `translateY(${item.start}px)` }}>
                <a className="log-number" href={`#L${item.index + 1}`} id={`L${item.index + 1}`}>
                  {item.index + 1}
                </a>
                <span className="log-text">
                  <AnsiText text={line.out.replace(/\r?\n$/, '')} />
                </span>
                <span className="log-time">{line.time}s</span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

/** The line number in the address (#L12), kept up to date as links are followed. */
function useLinkedLine(): number | undefined {
  const read = () => {
    const match = /^#L(\d+)$/.exec(window.location.hash);
    return match ? Number(match[1]) : undefined;
  };
  const [line, setLine] = useState(read);
  useEffect(() => {
    const onChange = () => setLine(read());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return line;
}

function download(lines: Line[], name: string): void {
  const blob = new Blob(lines.map((line) => line.out), { type: 'text/plain' });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = name;
  link.click();
  URL.revokeObjectURL(link.href);
}
