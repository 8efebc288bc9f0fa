// Warns before an idle session ends, so that nothing typed is lost to a silent sign-out.
// Someone typing or clicking is present: their session is kept alive without a question.
// Otherwise, two minutes before the end (a quarter of the idle time if that is shorter), the
// page asks the server how long is left, since the person may be busy in another tab; if the
// end is near, a dialog offers to stay signed in, and if no one answers the page goes to the
// sign-in page once the server says the session has ended.

const WARN_BEFORE_MS = 2 * 60 * 1000;

export function initSessionTimeout(dialog) {
  if (!dialog || typeof dialog.showModal !== "function") return;
  const idleMs = Number(dialog.dataset.idleSeconds) * 1000;
  if (!(idleMs > 0)) return;
  const warnBeforeMs = Math.min(WARN_BEFORE_MS, idleMs / 4);
  let lastContact = Date.now();
  let lastActivity = 0;
  let timer = null;

  const signOutForm = document.querySelector("form.app-sign-out");
  const token = () => signOutForm?.querySelector("input[name=csrfmiddlewaretoken]")?.value ?? "";
  const signedOut = () => window.location.assign(dialog.dataset.signedOut);
  const later = (ms, work) => {
    clearTimeout(timer);
    timer = setTimeout(work, Math.max(ms, 1000));
  };

  async function ask(url, options) {
    try {
      return await fetch(url, { credentials: "same-origin", redirect: "manual", ...options });
    } catch {
      return null; // offline for a moment: ask again shortly
    }
  }

  async function keepAlive() {
    const response = await ask(dialog.dataset.keepAlive, {
      method: "POST",
      headers: { "X-CSRFToken": token() },
    });
    if (response === null) return later(10_000, check);
    if (response.status !== 204) return signedOut();
    lastContact = Date.now();
    if (dialog.open) dialog.close();
    later(idleMs - warnBeforeMs, check);
  }

  async function check() {
    if (lastActivity > lastContact) return keepAlive();
    const response = await ask(dialog.dataset.status, { method: "GET" });
    if (response === null) return later(10_000, check);
    if (response.status !== 200) return signedOut(); // ended: the server has signed them out
    const leftMs = (await response.json()).seconds_left * 1000;
    if (leftMs > warnBeforeMs + 1000) {
      if (dialog.open) dialog.close(); // busy in another tab
      return later(leftMs - warnBeforeMs, check);
    }
    if (!dialog.open) dialog.showModal();
    later(leftMs + 1000, check);
  }

  for (const event of ["keydown", "input", "pointerdown"]) {
    document.addEventListener(event, () => { lastActivity = Date.now(); }, { passive: true });
  }
  dialog.querySelector("[data-timeout=stay]").addEventListener("click", keepAlive);
  dialog.querySelector("[data-timeout=sign-out]").addEventListener("click", () => {
    if (signOutForm) signOutForm.requestSubmit();
    else signedOut();
  });
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault(); // Escape also means "I am here"
    keepAlive();
  });
  later(idleMs - warnBeforeMs, check);
}
