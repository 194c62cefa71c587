// The pupils' questionnaire: the send button works once, so a double tap sends one answer.
// (The server refuses a second sending of the same form anyway.)
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-submit-once]");
  if (!form) {
    return;
  }
  form.addEventListener("submit", (event) => {
    if (form.dataset.sent) {
      event.preventDefault();
      return;
    }
    form.dataset.sent = "1";
    form.querySelectorAll("button[type='submit']").forEach((button) => {
      button.setAttribute("aria-disabled", "true");
    });
  });
});
