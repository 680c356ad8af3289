// The portal's one script, served by the server itself. The filing form is checked by the
// engine before it is sent: the same check as the "Kiểm tra" button, answered as JSON, so the
// engine's own messages appear at their fields without a page load. Without this script the
// pages work the same, one page load later.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-kiem-tra]");
  if (!form) return;
  let checked = false;
  const clear = () => {
    form.querySelectorAll("[data-loi]").forEach((node) => node.remove());
    form.querySelectorAll("[aria-invalid]").forEach((node) => {
      node.removeAttribute("aria-invalid");
      node.removeAttribute("aria-describedby");
    });
  };
  const show = (errors) => {
    let first = null;
    const summary = document.createElement("div");
    summary.className = "error-page";
    summary.setAttribute("role", "alert");
    summary.tabIndex = -1;
    summary.dataset.loi = "";
    const list = document.createElement("ul");
    for (const error of errors) {
      const message = document.createElement("p");
      message.className = "late";
      message.dataset.loi = "";
      message.id = (error.field || "ho-so") + "-loi";
      message.textContent = error.message;
      const field = error.field && document.getElementById(error.field);
      if (field) {
        field.setAttribute("aria-invalid", "true");
        field.setAttribute("aria-describedby", message.id);
        (field.closest("div") || field.parentNode).appendChild(message);
        first = first || field;
      }
      const item = document.createElement("li");
      item.textContent = error.message;
      list.appendChild(item);
    }
    summary.appendChild(list);
    form.insertBefore(summary, form.firstChild);
    (first || summary).focus();
  };
  form.addEventListener("submit", async (event) => {
    const submitter = event.submitter;
    if (checked || !submitter || submitter.value !== "nop") return;
    event.preventDefault();
    let answer;
    try {
      const response = await fetch(form.dataset.kiemTra, {
        method: "POST",
        body: new URLSearchParams(new FormData(form)),
        credentials: "same-origin",
      });
      answer = response.ok ? await response.json() : null;
    } catch (_) {
      answer = null;
    }
    clear();
    if (answer && !answer.ok) {
      show(answer.errors);
      return;
    }
    // Acceptable, or the check could not answer: the server checks again when it files.
    checked = true;
    form.requestSubmit(submitter);
  });
});
