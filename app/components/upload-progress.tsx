import { useNavigate, useSubmit } from "@remix-run/react";
import { useState, type FormEvent } from "react";
import { useT } from "./i18n";

export type UploadState = { phase: "idle" } | { phase: "uploading"; percent: number } | { phase: "processing" } | { phase: "failed" };

/** Whether a form has at least one chosen file; only then is an upload worth a progress bar. */
function hasChosenFile(form: HTMLFormElement) {
  return Array.from(form.querySelectorAll<HTMLInputElement>("input[type=file]")).some((input) => (input.files?.length ?? 0) > 0);
}

function withoutHash(url: string) {
  const parsed = new URL(url, window.location.href);
  parsed.hash = "";
  return parsed.href;
}

/**
 * Upload progress for a multipart form with photos. Remix submits forms with fetch(), which reports no upload
 * progress; so when files are chosen, the form is sent once with XMLHttpRequest (progress events) to the same
 * URL as a plain browser post would. The server answers as it does without JavaScript: success redirects (the
 * browser follows it; we then navigate there), a refused form comes back with status 4xx — nothing was written,
 * so the same form data is handed to Remix, which shows the field errors as usual. A network failure or a server
 * error is shown beside the button and never re-sent, so a post is not created twice.
 * Without JavaScript, or with no file chosen, the form submits exactly as before.
 */
export function useUploadProgress() {
  const navigate = useNavigate();
  const submit = useSubmit();
  const [state, setState] = useState<UploadState>({ phase: "idle" });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    const form = event.currentTarget;
    if (event.defaultPrevented || !hasChosenFile(form) || typeof XMLHttpRequest === "undefined") return;
    if (state.phase === "uploading" || state.phase === "processing") {
      event.preventDefault();
      return;
    }
    event.preventDefault();
    const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    const formData = new FormData(form);
    if (submitter?.name) formData.set(submitter.name, submitter.value);
    const target = form.action;
    const request = new XMLHttpRequest();
    request.open("POST", target);
    request.upload.onprogress = (progress) => {
      if (!progress.lengthComputable) return;
      const percent = Math.min(100, Math.round((progress.loaded / progress.total) * 100));
      setState(percent >= 100 ? { phase: "processing" } : { phase: "uploading", percent });
    };
    request.upload.onload = () => setState({ phase: "processing" });
    request.onload = () => {
      if (request.responseURL && withoutHash(request.responseURL) !== withoutHash(target)) {
        const landed = new URL(request.responseURL);
        setState({ phase: "idle" });
        navigate(landed.pathname + landed.search + landed.hash);
      } else if (request.status >= 400 && request.status < 500) {
        setState({ phase: "idle" });
        submit(formData, { method: "post", encType: "multipart/form-data", action: new URL(target).pathname + new URL(target).search });
      } else {
        setState({ phase: "failed" });
      }
    };
    request.onerror = () => setState({ phase: "failed" });
    request.onabort = () => setState({ phase: "failed" });
    setState({ phase: "uploading", percent: 0 });
    request.send(formData);
  }

  return { state, onSubmit, busy: state.phase === "uploading" || state.phase === "processing" };
}

/** The bar and its words, announced politely to screen readers; empty while nothing is being uploaded. */
export function UploadProgress({ state }: { state: UploadState }) {
  const t = useT();
  return (
    <div className="upload-progress" role="status" aria-live="polite">
      {state.phase === "uploading" ? (
        <>
          <progress max={100} value={state.percent} aria-label={t("images.uploading", { percent: state.percent })} />
          <span>{t("images.uploading", { percent: state.percent })}</span>
        </>
      ) : null}
      {state.phase === "processing" ? (
        <>
          <progress aria-label={t("images.processing")} />
          <span>{t("images.processing")}</span>
        </>
      ) : null}
      {state.phase === "failed" ? <span className="field-error">{t("images.uploadFailed")}</span> : null}
    </div>
  );
}
