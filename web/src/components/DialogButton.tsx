// A button that opens a modal dialog (the browser's <dialog>: focus is trapped, Escape closes it).

import { type ReactNode, useId, useRef } from 'react';

interface Props {
  label: string;
  title: string;
  primary?: boolean;
  children: (close: () => void) => ReactNode;
}

export function DialogButton({ label, title, primary = false, children }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const close = () => dialog.current?.close();
  return (
    <>
      <button type="button" className={primary ? 'primary' : undefined} onClick={() => dialog.current?.showModal()}>
        {label}
      </button>
      <dialog ref={dialog} aria-labelledby={titleId}>
        <h2 id={titleId}>{title}</h2>
        {children(close)}
      </dialog>
    </>
  );
}
