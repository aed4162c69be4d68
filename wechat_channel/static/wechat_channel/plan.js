// The weekly plan board (A12): drag an article onto a push or a day, or use the card's "Move to" form.
// Progressive enhancement: every change is the card's own form; here it is sent in the background, a refusal
// is shown next to the card, and an accepted change refreshes the board in place (scroll and focus kept).
// All words shown come from the server, in the reader's language.
(() => {
    "use strict";

    const board = () => document.querySelector("[data-plan-board]");

    function showRefusal(anchor, message) {
        const place = anchor.closest("[data-item]") || anchor.closest("[data-push]");
        const refusal = place && place.querySelector("[data-refusal]");
        if (!refusal) return;
        refusal.textContent = message;
        refusal.hidden = false;
    }

    function clearRefusals() {
        document.querySelectorAll("[data-refusal]").forEach((refusal) => {
            refusal.hidden = true;
            refusal.textContent = "";
        });
    }

    async function refreshBoard(focusItem) {
        const current = board();
        const response = await fetch(window.location.href, { credentials: "same-origin" });
        const html = new DOMParser().parseFromString(await response.text(), "text/html");
        const fresh = html.querySelector("[data-plan-board]");
        if (!current || !fresh) return;
        const scroll = { x: window.scrollX, y: window.scrollY, left: current.scrollLeft };
        current.innerHTML = fresh.innerHTML;
        current.scrollLeft = scroll.left;
        window.scrollTo(scroll.x, scroll.y);
        const moved = focusItem && current.querySelector(`[data-item="${focusItem}"]`);
        if (moved) moved.focus({ preventScroll: true });
    }

    async function send(form, fields, anchor) {
        const data = new FormData(form);
        Object.entries(fields || {}).forEach(([name, value]) => data.set(name, value));
        clearRefusals();
        const itemId = anchor.closest("[data-item]")?.dataset.item;
        let answer = null;
        try {
            const response = await fetch(form.action, {
                method: "POST",
                body: data,
                credentials: "same-origin",
                headers: { Accept: "application/json" },
            });
            if ((response.headers.get("Content-Type") || "").includes("application/json")) {
                answer = await response.json();
            }
        } catch (error) {
            answer = null;
        }
        if (answer && answer.ok) {
            await refreshBoard(itemId);
        } else {
            showRefusal(anchor, (answer && answer.message) || board().dataset.errorText);
        }
    }

    document.addEventListener("submit", (event) => {
        const form = event.target.closest("[data-change-form]");
        if (!form || !board()?.contains(form)) return;
        event.preventDefault();
        send(form, null, form);
    });

    // Drag and drop: the article's own move form, aimed at the push or the day it is dropped on.
    let dragged = null;

    function destination(target) {
        const push = target.closest("[data-push]");
        if (push) return `push-${push.dataset.push}`;
        const day = target.closest("[data-day]");
        return day ? `day-${day.dataset.day}` : null;
    }

    function dropZone(target) {
        return target.closest("[data-push]") || target.closest("[data-day]");
    }

    document.addEventListener("dragstart", (event) => {
        const item = event.target.closest?.("[data-item][draggable='true']");
        if (!item) return;
        dragged = item;
        item.classList.add("plan-dragging");
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", item.dataset.item);
    });

    document.addEventListener("dragend", () => {
        dragged?.classList.remove("plan-dragging");
        document.querySelectorAll(".plan-drop-over").forEach((zone) => zone.classList.remove("plan-drop-over"));
    });

    document.addEventListener("dragover", (event) => {
        if (!dragged) return;
        const zone = dropZone(event.target);
        if (!zone) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = "move";
        document.querySelectorAll(".plan-drop-over").forEach((other) => other !== zone && other.classList.remove("plan-drop-over"));
        zone.classList.add("plan-drop-over");
    });

    document.addEventListener("drop", (event) => {
        if (!dragged) return;
        const to = destination(event.target);
        const item = dragged;
        dragged = null;
        event.preventDefault();
        item.classList.remove("plan-dragging");
        document.querySelectorAll(".plan-drop-over").forEach((zone) => zone.classList.remove("plan-drop-over"));
        if (!to || to === `push-${item.dataset.itemPush}`) return;
        const form = item.querySelector("[data-move-form]");
        if (form) send(form, { to }, form);
    });
})();
