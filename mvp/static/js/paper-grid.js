// The paper-entry grid, typed from a printed form in order without the mouse: a key that
// cannot start or continue an allowed answer is refused on the spot with the reason; a cell
// moves on as soon as its answer is complete (no longer answer begins with it); a prefilled
// cell arrives selected, so typing overwrites it; Backspace in an empty cell, or in one the
// grid has just moved to, goes back to the previous cell.
// The server checks every cell again; without this script the grid still works.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-paper-grid]");
  if (!form) {
    return;
  }
  const body = form.querySelector("[data-grid-body]");
  const live = form.querySelector("[data-grid-errors]");
  // The server's own wording ("Rad {row}, kolumn {column}: {message}"), so a problem reads
  // the same whether the browser or the server finds it.
  const template = form.dataset.errorTemplate;

  const cells = () => Array.from(body.querySelectorAll("input[data-values]"));
  const rowOf = (input) => input.closest("tr");
  const rowNumber = (input) => rowOf(input).rowIndex;
  const allowed = (input) => input.dataset.values.split(" ");
  const normal = (value) => value.trim().toUpperCase();

  const isValid = (input) => {
    const value = normal(input.value);
    if (value === "") {
      return true;
    }
    // Numbers are compared as numbers, so "05" is the same as "5".
    const number = /^\d+$/.test(value) ? String(Number(value)) : value;
    return allowed(input).includes(number);
  };

  // Could more typing still make an allowed answer of this text?
  const canStart = (input, text) => allowed(input).some((value) => value.startsWith(text));
  const isComplete = (input) => {
    const value = normal(input.value);
    return (
      value !== "" &&
      isValid(input) &&
      !allowed(input).some((other) => other.length > value.length && other.startsWith(value))
    );
  };

  const message = (input) =>
    template
      .replace("{row}", rowNumber(input))
      .replace("{column}", input.dataset.column)
      .replace("{message}", input.dataset.message);

  // The live region holds one line per problem: a refused key, or a cell still wrong (a
  // pasted value, or one the server refused that has not been typed again).
  let refused = null;
  const refresh = () => {
    const wrong = cells().filter(
      (input) => input.dataset.liveError && input !== refused
    );
    live.replaceChildren();
    const lines = [...(refused ? [refused] : []), ...wrong];
    if (lines.length === 0) {
      return;
    }
    const list = document.createElement("ul");
    lines.forEach((input) => {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = `#${input.id}`;
      link.textContent = message(input);
      item.append(link);
      list.append(item);
    });
    live.append(list);
  };

  const mark = (input) => {
    const cell = input.closest("td");
    if (isValid(input)) {
      input.removeAttribute("aria-invalid");
      cell.classList.remove("cell-error");
      delete input.dataset.liveError;
    } else {
      input.setAttribute("aria-invalid", "true");
      input.dataset.liveError = "1";
      cell.classList.add("cell-error");
    }
  };

  const go = (target, { select = true, moved = true } = {}) => {
    if (!target) {
      return;
    }
    target.focus();
    if (select) {
      target.select();
      if (moved) {
        // Moved on by the grid, not by the hand: Backspace here means "back", not "erase".
        target.dataset.arrived = "1";
      }
    } else {
      const end = target.value.length;
      target.setSelectionRange(end, end);
    }
  };
  const step = (input, offset) => {
    const all = cells();
    return all[all.indexOf(input) + offset] || null;
  };

  const sameColumn = (input, direction) => {
    const row = rowOf(input);
    const target = direction > 0 ? row.nextElementSibling : row.previousElementSibling;
    if (!target) {
      return null;
    }
    return target.querySelector(`input[name$="-${input.name.split("-").slice(1).join("-")}"]`);
  };

  // Refuse a key that cannot lead to an allowed answer, before it reaches the cell.
  body.addEventListener("beforeinput", (event) => {
    const input = event.target;
    if (!input.matches("input[data-values]") || !event.inputType.startsWith("insert")) {
      return;
    }
    const text = normal(event.data || "");
    if (text === "") {
      return;
    }
    const start = input.selectionStart ?? input.value.length;
    const end = input.selectionEnd ?? input.value.length;
    const proposed = normal(input.value.slice(0, start) + text + input.value.slice(end));
    if (canStart(input, proposed)) {
      if (refused) {
        refused = null;
        refresh();
      }
      return;
    }
    event.preventDefault();
    refused = input;
    refresh();
  });

  body.addEventListener("input", (event) => {
    const input = event.target;
    if (!input.matches("input[data-values]")) {
      return;
    }
    delete input.dataset.arrived;
    if (input.value !== input.value.toUpperCase()) {
      input.value = input.value.toUpperCase(); // "v" is stored as "V"
    }
    mark(input);
    refresh();
    // A complete answer moves on, so a whole form is typed without Tab.
    if (isComplete(input)) {
      go(step(input, 1));
    }
  });

  body.addEventListener("keydown", (event) => {
    const input = event.target;
    if (!input.matches("input[data-values]") || event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    const atStart = input.selectionStart === 0 && input.selectionEnd === 0;
    const atEnd = input.selectionStart === input.value.length;
    let target = null;
    let select = true;
    const moved = false; // moved by the hand: Backspace then erases
    if (event.key === "Backspace" && (input.value === "" || atStart || input.dataset.arrived)) {
      // Back to the previous cell, its answer selected: type to replace it, Backspace to erase.
      target = step(input, -1);
    } else if (event.key === "ArrowLeft" && atStart) {
      target = step(input, -1);
      select = false;
    } else if (event.key === "ArrowRight" && atEnd && input.selectionStart === input.selectionEnd) {
      target = step(input, 1);
    } else if (event.key === "ArrowDown") {
      target = sameColumn(input, 1);
    } else if (event.key === "ArrowUp") {
      target = sameColumn(input, -1);
    } else if (event.key === "Enter") {
      // Enter starts the next questionnaire instead of sending the form half typed.
      event.preventDefault();
      const next = rowOf(input).nextElementSibling;
      target = next ? next.querySelector("input[data-values]") : null;
    }
    delete input.dataset.arrived;
    if (target) {
      event.preventDefault();
      if (refused) {
        refused = null;
        refresh();
      }
      go(target, { select, moved });
    }
  });

  // Cells the server refused are listed in its summary above; they are only marked here, so
  // that each problem is written once.
  cells().forEach((input) => {
    if (input.value !== "" && !isValid(input) && !input.hasAttribute("aria-describedby")) {
      mark(input);
    }
  });
  refresh();

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
