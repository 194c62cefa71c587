// Small progressive enhancements; every page works without them.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  // Move focus to the error summary so that keyboard and screen-reader users hear it first.
  const summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }

  // On the school form, offer per-grade pupil counts only for the grades of the chosen kind.
  const kind = document.querySelector("select[data-kind-grades]");
  if (kind) {
    const grades = JSON.parse(kind.dataset.kindGrades);
    const update = () => {
      const shown = grades[kind.value] || [];
      document.querySelectorAll("input[data-grade]").forEach((input) => {
        const wrapper = input.closest(".field");
        const visible = shown.includes(Number(input.dataset.grade)) || input.value !== "";
        wrapper.hidden = !visible;
      });
    };
    kind.addEventListener("change", update);
    update();
  }
});

// Browsers without ::details-content cannot show the folded menu on a wide screen by CSS
// alone: open it there.
document.addEventListener("DOMContentLoaded", () => {
  const menu = document.querySelector("[data-menu]");
  const wide = window.matchMedia("(min-width: 48rem)");
  if (menu && !CSS.supports("selector(::details-content)")) {
    const sync = () => { menu.open = wide.matches; };
    wide.addEventListener("change", sync);
    sync();
  }
});
