// The report charts (Apache ECharts, vendored). The numbers come from the page's JSON block;
// each chart has a table of the same numbers under "Numbers".
(function () {
  "use strict";
  var zoneInput = document.querySelector("[data-browser-zone]");
  if (zoneInput && !zoneInput.value && window.Intl) {
    zoneInput.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  }
  var source = document.getElementById("report-data");
  if (!source || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  var palette = ["#2563eb", "#16a34a", "#f59e0b", "#dc2626", "#7c3aed", "#0891b2"];

  function chart(name, option) {
    var node = document.querySelector('[data-chart="' + name + '"]');
    if (!node) { return; }
    var instance = echarts.init(node, null, { renderer: "svg" });
    option.color = palette;
    instance.setOption(option);
    window.addEventListener("resize", function () { instance.resize(); });
    node.setAttribute("data-rendered", "true");
  }

  var dailyNode = document.querySelector('[data-chart="daily"]');
  var labels = dailyNode ? JSON.parse(dailyNode.getAttribute("data-labels")) : {};
  chart("daily", {
    tooltip: { trigger: "axis" },
    legend: { bottom: 0 },
    grid: { left: 40, right: 16, top: 16, bottom: 48 },
    xAxis: { type: "category", data: data.daily.map(function (d) { return d.day; }) },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: labels.created, type: "bar", data: data.daily.map(function (d) { return d.created; }) },
      { name: labels.solved, type: "line", data: data.daily.map(function (d) { return d.solved_within_24h; }) }
    ]
  });
  chart("channels", {
    tooltip: { trigger: "item" },
    legend: { bottom: 0, type: "scroll" },
    // Counts inside the ring and names in the legend: outside labels were cut at the card edge.
    series: [{ type: "pie", radius: ["35%", "65%"], center: ["50%", "45%"],
      label: { position: "inside", formatter: "{c}" },
      data: data.channels.map(function (c) { return { name: c.label, value: c.tickets }; }) }]
  });
  var categories = data.categories.slice().reverse();
  chart("categories", {
    tooltip: { trigger: "axis" },
    grid: { left: 8, right: 24, top: 8, bottom: 24, containLabel: true },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", data: categories.map(function (c) { return c.label; }) },
    series: [{ type: "bar", data: categories.map(function (c) { return c.tickets; }) }]
  });
  var heatNode = document.querySelector('[data-chart="heatmap"]');
  var days = heatNode ? JSON.parse(heatNode.getAttribute("data-days")) : [];
  var cells = [], max = 1;
  data.heatmap.forEach(function (row, day) {
    row.forEach(function (n, hour) { cells.push([hour, day, n]); max = Math.max(max, n); });
  });
  chart("heatmap", {
    tooltip: { position: "top" },
    grid: { left: 40, right: 8, top: 8, bottom: 56 },
    xAxis: { type: "category", data: Array.from({ length: 24 }, function (_, h) { return h; }) },
    yAxis: { type: "category", data: days, inverse: true },
    visualMap: { min: 0, max: max, calculable: false, orient: "horizontal", left: "center", bottom: 0,
      inRange: { color: ["#eef2ff", "#2563eb"] } },
    series: [{ type: "heatmap", data: cells }]
  });
  var metrics = Object.keys(data.sla);
  chart("sla", {
    tooltip: { trigger: "axis" },
    grid: { left: 120, right: 24, top: 8, bottom: 24 },
    xAxis: { type: "value", min: 0, max: 100 },
    yAxis: { type: "category", data: metrics.map(function (m) { return data.sla_labels[m] || m; }) },
    series: [{ type: "bar", data: metrics.map(function (m) {
      var r = data.sla[m].attainment_rate; return r === null ? 0 : Math.round(r * 1000) / 10; }) }]
  });
})();
