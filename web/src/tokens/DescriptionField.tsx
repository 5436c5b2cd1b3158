// The token's Description field, with the API's 422 messages for `description` shown at the field.
import { useEffect, useId, useRef } from 'preact/hooks';

interface DescriptionFieldProps {
  value: string;
  onInput: (value: string) => void;
  errors: readonly string[] | undefined;
  hint?: string;
}

export function DescriptionField({ value, onInput, errors, hint }: DescriptionFieldProps) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  // A rejected value: take the user to the field, whose description now carries the reason.
  useEffect(() => {
    if (errors) input.current?.focus();
  }, [errors]);
  const describedBy = [hint ? `${id}-hint` : '', errors ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class="field">
      <label for={id}>Description</label>
      {hint && (
        <p id={`${id}-hint`} class="field-hint">
          {hint}
        </p>
      )}
      <input
        ref={input}
        id={id}
        class="input"
        type="text"
        value={value}
        autocomplete="off"
        aria-invalid={errors ? 'true' : undefined}
        aria-describedby={describedBy}
        onInput={(event) => onInput(event.currentTarget.value)}
      />
      {errors && (
        <p id={`${id}-error`} class="field-error">
          {errors.join(' ')}
        </p>
      )}
    </div>
  );
}
