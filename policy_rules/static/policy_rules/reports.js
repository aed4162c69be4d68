/* Draws the policy dashboard's charts with the vendored Chart.js (vendor/chart.umd.min.js, no CDN).
 * The data comes from the json_script element named by `data-policy-dashboard`. */
(function () {
  "use strict";

  var COLOURS = {
    met: "#2e9e4f", missed: "#d93a32", running: "#f2b705", on_track: "#7cc48f", behind: "#e8833a",
    quota: "#264653", bar: "#2a6f97",
  };
  var LEVEL_COLOURS = ["#2e9e4f", "#f2b705", "#d93a32"]; // none, warning, escalation

  function stateColours(states) {
    return states.map(function (state) { return COLOURS[state] || COLOURS.bar; });
  }

  var builders = {
    progress: function (data) {
      return {
        type: "bar",
        data: {
          labels: data.labels,
          datasets: [
            { type: "bar", label: data.label, data: data.values, backgroundColor: stateColours(data.states) },
            {
              type: "line", label: data.quota_label, data: data.labels.map(function () { return data.quota; }),
              borderColor: COLOURS.quota, borderDash: [6, 4], pointRadius: 0, fill: false,
            },
          ],
        },
        options: { maintainAspectRatio: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
      };
    },
    leaders: function (data) {
      return {
        type: "bar",
        data: { labels: data.labels, datasets: [{ label: data.label, data: data.values, backgroundColor: COLOURS.bar }] },
        options: {
          indexAxis: "y", maintainAspectRatio: false, plugins: { legend: { display: false } },
          scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
        },
      };
    },
    discipline: function (data) {
      return {
        type: "bar",
        data: { labels: data.labels, datasets: [{ label: data.label, data: data.values, backgroundColor: LEVEL_COLOURS }] },
        options: {
          maintainAspectRatio: false, plugins: { legend: { display: false } },
          scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
        },
      };
    },
    coverage: function (data) {
      return {
        type: "line",
        data: {
          labels: data.labels,
          datasets: [{
            label: data.label, data: data.values, borderColor: COLOURS.bar, tension: 0, pointRadius: 3,
            pointBackgroundColor: stateColours(data.states), pointBorderColor: stateColours(data.states),
          }],
        },
        options: {
          maintainAspectRatio: false, plugins: { legend: { display: false } },
          scales: { x: { ticks: { maxTicksLimit: 8 } }, y: { beginAtZero: true, ticks: { precision: 0 } } },
        },
      };
    },
  };

  function draw(root) {
    var source = document.getElementById(root.getAttribute("data-policy-dashboard"));
    if (!source || typeof window.Chart === "undefined") return;
    var charts = JSON.parse(source.textContent);
    root.querySelectorAll("canvas[data-policy-chart]").forEach(function (canvas) {
      var name = canvas.getAttribute("data-policy-chart");
      if (charts[name] && builders[name] && !canvas.dataset.drawn) {
        canvas.dataset.drawn = "true";
        new window.Chart(canvas, builders[name](charts[name]));
      }
    });
  }

  function drawAll() {
    document.querySelectorAll("[data-policy-dashboard]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
