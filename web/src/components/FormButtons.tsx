// A dialog form's Cancel and submit buttons.

export function FormButtons({ close, busy, submit }: { close: () => void; busy: boolean; submit: string }) {
  return (
    <div className="actions">
      <button type="button" onClick={close}>
        Cancel
      </button>
      <button type="submit" className="primary" disabled={busy}>
        {submit}
      </button>
    </div>
  );
}
