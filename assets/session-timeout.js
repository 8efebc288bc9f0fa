// Warns before an idle session ends, so that nothing typed is lost to a silent sign-out.
// Someone typing or clicking is present: their session is kept alive without a question.
// Otherwise, two minutes before the end (a quarter of the idle time if that is shorter),
// a dialog offers to stay signed in; if no one answers, the page goes to the sign-in page.

const WARN_BEFORE_MS = 2 * 60 * 1000;

export function initSessionTimeout(dialog) {
  if (!dialog || typeof dialog.showModal !== "function") return;
  const idleMs = Number(dialog.dataset.idleSeconds) * 1000;
  if (!(idleMs > 0)) return;
  const warnAfterMs = idleMs - Math.min(WARN_BEFORE_MS, idleMs / 4);
  let lastContact = Date.now();
  let lastActivity = 0;
  let timers = [];

  const signOutForm = document.querySelector("form.app-sign-out");
  const token = () => signOutForm?.querySelector("input[name=csrfmiddlewaretoken]")?.value ?? "";
  const signedOut = () => window.location.assign(dialog.dataset.signedOut);

  function schedule() {
    timers.forEach(clearTimeout);
    timers = [setTimeout(warn, warnAfterMs), setTimeout(signedOut, idleMs)];
  }

  async function keepAlive() {
    try {
      const response = await fetch(dialog.dataset.keepAlive, {
        method: "POST",
        headers: { "X-CSRFToken": token() },
        credentials: "same-origin",
        redirect: "manual",
      });
      if (response.status !== 204) return signedOut();
      lastContact = Date.now();
      schedule();
    } catch {
      // Offline for a moment: the timers still run, and the server decides at the next page.
    }
  }

  function warn() {
    if (lastActivity > lastContact) keepAlive();
    else dialog.showModal();
  }

  for (const event of ["keydown", "input", "pointerdown"]) {
    document.addEventListener(event, () => { lastActivity = Date.now(); }, { passive: true });
  }
  dialog.querySelector("[data-timeout=stay]").addEventListener("click", () => {
    dialog.close();
    keepAlive();
  });
  dialog.querySelector("[data-timeout=sign-out]").addEventListener("click", () => {
    if (signOutForm) signOutForm.requestSubmit();
    else signedOut();
  });
  dialog.addEventListener("cancel", () => keepAlive()); // Escape also means "I am here"
  schedule();
}
