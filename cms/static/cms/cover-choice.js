// The cover choice of the contribution forms (A6: WeChat needs a cover), made easier where scripts run:
// each option also names the file it stands for, and options past the images there are hide.
// Without scripts the select still works: the images are numbered in the order they are chosen.
document.querySelectorAll("select[name=cover][data-images-before]").forEach((select) => {
  const input = select.form.querySelector("input[type=file][name=images]");
  const before = Number(select.dataset.imagesBefore);
  const names = Array.from(select.options, (option) => option.text);

  function update() {
    const files = Array.from(input.files || []);
    Array.from(select.options).forEach((option, index) => {
      if (option.value === "") return;
      const number = Number(option.value);
      const file = files[number - before - 1];
      option.text = file ? `${names[index]} · ${file.name}` : names[index];
      option.hidden = number > Math.max(before + files.length, 1);
    });
  }

  input.addEventListener("change", update);
  update();
});
