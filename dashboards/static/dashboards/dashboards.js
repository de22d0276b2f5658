// The dashboards' own browser code: date-range form, filter builder, charts, world map, UTM builder.
// Data comes from json_script blocks, so event data never reaches the page as markup.
(function () {
  "use strict";

  function readJson(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function setUpRangeForm() {
    var form = document.getElementById("range-form");
    if (!form) return;
    var period = form.querySelector("#period");
    var custom = form.querySelectorAll(".custom-range");
    function toggle() {
      custom.forEach(function (el) {
        el.hidden = period.value !== "custom";
        el.querySelector("input").disabled = period.value !== "custom";
      });
    }
    form.querySelectorAll(".custom-range input").forEach(function (input) {
      input.addEventListener("change", function () { period.value = "custom"; toggle(); });
    });
    period.addEventListener("change", toggle);
    toggle();
  }

  function setUpFilterForm() {
    var form = document.getElementById("filter-form");
    if (!form) return;
    var dimension = form.querySelector("#filter-dimension");
    var propBox = form.querySelector(".prop-name");
    dimension.addEventListener("change", function () { propBox.hidden = dimension.value !== "prop"; });
    form.addEventListener("submit", function (event) {
      var value = form.querySelector("#filter-value").value;
      var prop = form.querySelector("#filter-prop");
      if (!value) { event.preventDefault(); return; }
      if (dimension.value === "prop" && !prop.value) { event.preventDefault(); prop.focus(); return; }
      var head = dimension.value === "prop" ? "prop:" + prop.value : dimension.value;
      var expression = form.querySelector("#filter-expression");
      expression.value = head + ":" + form.querySelector("#filter-op").value + ":" + value;
      expression.disabled = false;
    });
  }

  var annotationPlugin = {
    id: "annotations",
    afterDatasetsDraw: function (chart, args, options) {
      var notes = options.notes || [];
      var ctx = chart.ctx;
      var area = chart.chartArea;
      notes.forEach(function (note) {
        var index = chart.data.labels.findIndex(function (label) { return label.slice(0, 10) >= note.day; });
        if (index < 0) return;
        var x = chart.scales.x.getPixelForValue(index);
        ctx.save();
        ctx.strokeStyle = "#f79009";
        ctx.setLineDash([4, 4]);
        ctx.beginPath(); ctx.moveTo(x, area.top); ctx.lineTo(x, area.bottom); ctx.stroke();
        ctx.fillStyle = "#b54708";
        ctx.font = "12px system-ui";
        ctx.fillText(note.text.slice(0, 40), Math.min(x + 4, area.right - 120), area.top + 12);
        ctx.restore();
      });
    }
  };

  function drawTimeseries() {
    var data = readJson("chart-data");
    var canvas = document.getElementById("timeseries");
    if (!data || !canvas || typeof Chart === "undefined") return;
    var datasets = [
      { label: "Visitors", data: data.visitors, borderColor: "#6638b6", backgroundColor: "rgba(102,56,182,.12)", fill: true, tension: 0.25 },
      { label: "Page views", data: data.page_views, borderColor: "#12b76a", tension: 0.25 }
    ];
    if (data.previous_visitors.length) {
      datasets.push({ label: "Visitors, comparison period", data: data.previous_visitors, borderColor: "#98a2b3", borderDash: [6, 4], tension: 0.25 });
    }
    window.dashboardChart = new Chart(canvas, {
      type: "line",
      data: { labels: data.labels, datasets: datasets },
      options: { maintainAspectRatio: false, animation: false, interaction: { mode: "index", intersect: false },
                 scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
                 plugins: { annotations: { notes: data.annotations } } },
      plugins: [annotationPlugin]
    });
  }

  function drawBars(id, dataId, label) {
    var data = readJson(dataId);
    var canvas = document.getElementById(id);
    if (!data || !canvas || typeof Chart === "undefined") return;
    new Chart(canvas, {
      type: "bar",
      data: { labels: data.labels, datasets: [{ label: label, data: data.values, backgroundColor: "#6638b6" }] },
      options: { maintainAspectRatio: false, animation: false, scales: { y: { beginAtZero: true } } }
    });
  }

  function mix(from, to, t) {
    var a = parseInt(from.slice(1), 16), b = parseInt(to.slice(1), 16);
    var channel = function (shift) {
      var x = (a >> shift) & 255, y = (b >> shift) & 255;
      return Math.round(x + (y - x) * t);
    };
    return "#" + ((1 << 24) + (channel(16) << 16) + (channel(8) << 8) + channel(0)).toString(16).slice(1);
  }

  function drawMap() {
    var values = readJson("map-data");
    if (!values || !document.getElementById("world-map") || typeof jsVectorMap === "undefined") return;
    // jsvectormap's region series is categorical: give every country its own key and colour (square-root scale).
    var max = Math.max.apply(null, Object.values(values).concat([1]));
    var colours = {}, keys = {};
    Object.keys(values).forEach(function (code) {
      colours[code] = mix("#d9ccf2", "#4b2391", Math.sqrt(values[code] / max));
      keys[code] = code;
    });
    window.dashboardMap = new jsVectorMap({
      selector: "#world-map", map: "world", zoomButtons: true,
      regionStyle: { initial: { fill: "#e4e7ec" }, hover: { fillOpacity: 0.8 } },
      series: { regions: [{ attribute: "fill", scale: colours, values: keys }] },
      onRegionTooltipShow: function (event, tooltip, code) {
        tooltip.text(tooltip.text() + ": " + (values[code] || 0) + " visitors");
      }
    });
  }

  function setUpUtmBuilder() {
    var form = document.getElementById("utm-builder");
    if (!form) return;
    var output = document.getElementById("utm-url");
    function build() {
      var base = form.querySelector("[name=url]").value.trim();
      if (!base) { output.textContent = ""; return; }
      var url;
      try { url = new URL(base); } catch (error) { output.textContent = "Enter a full URL, starting with https://"; return; }
      ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"].forEach(function (name) {
        var value = form.querySelector("[name=" + name + "]").value.trim();
        if (value) url.searchParams.set(name, value); else url.searchParams.delete(name);
      });
      output.textContent = url.toString();
    }
    form.addEventListener("input", build);
    form.addEventListener("submit", function (event) { event.preventDefault(); build(); });
    build();
  }

  function pollRealtime() {
    var box = document.getElementById("realtime");
    if (!box) return;
    setInterval(function () {
      // A failed refresh keeps the last numbers on screen; the next tick tries again.
      fetch(box.dataset.url, { credentials: "same-origin" }).then(function (r) {
        if (!r.ok) throw new Error("realtime refresh: HTTP " + r.status);
        return r.text();
      }).then(function (html) { box.innerHTML = html; }).catch(function (error) { console.warn(error.message); });
    }, 10000);
  }

  setUpRangeForm();
  setUpFilterForm();
  drawTimeseries();
  drawBars("funnel-chart", "funnel-data", "Visitors");
  drawMap();
  setUpUtmBuilder();
  pollRealtime();
})();
