// The paper-entry grid: marks a wrong cell as you type, moves on by keyboard, adds rows.
// The server checks every cell again; without this script the grid still works.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-paper-grid]");
  if (!form) {
    return;
  }
  const body = form.querySelector("[data-grid-body]");
  const live = form.querySelector("[data-grid-errors]");
  const template = form.dataset.errorTemplate;

  const cells = () => Array.from(body.querySelectorAll("input[data-values]"));
  const rowOf = (input) => input.closest("tr");
  const rowNumber = (input) => rowOf(input).rowIndex;

  const isValid = (input) => {
    const value = input.value.trim().toUpperCase();
    if (value === "") {
      return true;
    }
    const allowed = input.dataset.values.split(" ");
    // Numbers are compared as numbers, so "05" is the same as "5".
    const normal = /^\d+$/.test(value) ? String(Number(value)) : value;
    return allowed.includes(normal);
  };

  const message = (input) =>
    template
      .replace("{row}", rowNumber(input))
      .replace("{column}", input.dataset.column)
      .replace("{allowed}", input.dataset.allowed);

  const refreshSummary = () => {
    const wrong = cells().filter((input) => input.getAttribute("aria-invalid") === "true");
    live.replaceChildren();
    if (wrong.length === 0) {
      live.hidden = true;
      return;
    }
    live.hidden = false;
    const list = document.createElement("ul");
    wrong.forEach((input) => {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = `#${input.id}`;
      link.textContent = message(input);
      item.append(link);
      list.append(item);
    });
    live.append(list);
  };

  const check = (input) => {
    const cell = input.closest("td");
    if (isValid(input)) {
      if (input.dataset.liveError) {
        input.removeAttribute("aria-invalid");
        cell.classList.remove("cell-error");
        delete input.dataset.liveError;
      }
    } else {
      input.setAttribute("aria-invalid", "true");
      input.dataset.liveError = "1";
      cell.classList.add("cell-error");
    }
    refreshSummary();
  };

  const sameColumn = (input, step) => {
    const row = rowOf(input);
    const target = step > 0 ? row.nextElementSibling : row.previousElementSibling;
    if (!target) {
      return null;
    }
    return target.querySelector(`input[name$="-${input.name.split("-").slice(1).join("-")}"]`);
  };

  body.addEventListener("input", (event) => {
    const input = event.target;
    if (!input.matches("input[data-values]")) {
      return;
    }
    check(input);
    // A complete, valid answer moves on, so a whole row is typed without Tab.
    const full = input.value.length >= Number(input.getAttribute("maxlength"));
    if (full && isValid(input) && input.value.trim() !== "") {
      const all = cells();
      const next = all[all.indexOf(input) + 1];
      if (next) {
        next.focus();
        next.select();
      }
    }
  });

  body.addEventListener("keydown", (event) => {
    const input = event.target;
    if (!input.matches("input[data-values]")) {
      return;
    }
    let target = null;
    if (event.key === "ArrowDown") {
      target = sameColumn(input, 1);
    } else if (event.key === "ArrowUp") {
      target = sameColumn(input, -1);
    } else if (event.key === "Enter") {
      // Enter starts the next questionnaire instead of sending the form half typed.
      event.preventDefault();
      const next = rowOf(input).nextElementSibling;
      target = next ? next.querySelector("input[data-values]") : null;
    }
    if (target) {
      event.preventDefault();
      target.focus();
      target.select();
    }
  });

  cells().forEach((input) => {
    if (input.value !== "" && !isValid(input)) {
      check(input);
    }
  });

  // More rows: copy the last one, emptied, with the next row number.
  const addButton = form.querySelector("[data-add-rows]");
  if (addButton) {
    addButton.hidden = false;
    addButton.addEventListener("click", () => {
      for (let i = 0; i < 5; i += 1) {
        const last = body.lastElementChild;
        const copy = last.cloneNode(true);
        const number = body.children.length + 1;
        copy.querySelector("th").id = `row-${number}`;
        copy.querySelector("th").lastChild.textContent = String(number);
        copy.querySelectorAll("td").forEach((cell) => {
          cell.classList.remove("cell-error");
          cell.querySelectorAll("span[id^='e-r'], input[type='hidden'], input[type='checkbox'], span[id^='remove-label']").forEach((node) => node.remove());
        });
        copy.querySelectorAll("input[data-values]").forEach((input) => {
          const key = input.name.split("-").slice(1).join("-");
          input.name = `r${number}-${key}`;
          input.id = `r${number}-${key}`;
          input.setAttribute("aria-labelledby", `row-${number} col-${key}`);
          input.removeAttribute("aria-invalid");
          input.removeAttribute("aria-describedby");
          input.removeAttribute("placeholder");
          delete input.dataset.liveError;
          if (key !== "arskurs") {
            input.value = "";
          }
        });
        body.append(copy);
      }
    });
  }
});
