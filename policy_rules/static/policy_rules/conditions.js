// A condition's value input follows its "When": a weekday select, a time picker, a choice or a number.
// Without this script the form still works: the page comes back with the right input after a save.
document.addEventListener("change", (event) => {
  const field = event.target;
  if (!(field instanceof HTMLSelectElement) || !/^rules-\d+-when-\d+-field$/.test(field.name)) {
    return;
  }
  const name = field.name.replace(/-field$/, "-value");
  const current = field.form.querySelector(`[name="${name}"]`);
  const kinds = { weekday: "weekday", minute_of_day: "time", day_type: "day_type", category: "category" };
  const flags = ["breaking", "time_sensitive"];
  const kind = field.value === "" ? "none" : kinds[field.value] || (flags.includes(field.value) ? "yes_no" : "number");
  const template = field.form.querySelector(`template[data-condition-input="${kind}"]`);
  if (!current || !template || current.dataset.conditionValue === kind) {
    return;
  }
  const input = template.content.firstElementChild.cloneNode(true);
  input.name = name;
  input.id = current.id;
  current.replaceWith(input);
});
