// A log line's text with its ANSI colours and styles (SGR codes, parsed by anser into CSS classes).

import Anser from 'anser';
import { memo } from 'react';

export const AnsiText = memo(function AnsiText({ text }: { text: string }) {
  const parts = Anser.ansiToJson(text, { use_classes: true, remove_empty: true });
  return (
    <>
      {parts.map((part, index) => {
        const classes = [part.fg && `${part.fg}-fg`, part.bg && `${part.bg}-bg`, ...part.decorations.map((d) => `ansi-${d}`)].filter(Boolean).join(' ');
        const style = part.fg_truecolor || part.bg_truecolor ? { color: rgb(part.fg_truecolor), backgroundColor: rgb(part.bg_truecolor) } : undefined;
        return classes || style ? (
          <span key={index} className={classes || undefined} style={style}>
            {part.content}
          </span>
        ) : (
          part.content
        );
      })}
    </>
  );
});

function rgb(value: string): string | undefined {
  return value ? `rgb(${value})` : undefined;
}
