/* Draws every dashboard chart with ECharts from the spec the server put in a json_script
 * element (web/charts.py, Chart.spec). A click on a bar, point or slice opens the list behind it.
 * No inline script: the page's Content-Security-Policy can forbid them. */
(function () {
  "use strict";

  var lang = document.documentElement.lang || "vi";
  var locale = lang === "en" ? "en-US" : "vi-VN";

  function num(value) {
    return value === null || value === undefined || value === "" ? null : Number(value);
  }

  function shown(value) {
    return value === null || value === undefined ? "—" : Number(value).toLocaleString(locale);
  }

  function pieOption(spec) {
    var serie = spec.series[0];
    return {
      tooltip: { trigger: "item", valueFormatter: shown },
      legend: { bottom: 0, type: "scroll" },
      series: [{
        name: serie.name,
        type: "pie",
        radius: ["35%", "65%"],
        center: ["50%", "45%"],
        cursor: "pointer",
        label: { formatter: "{b}: {c}" },
        data: spec.categories.map(function (category, i) {
          var item = { name: category, value: num(serie.values[i]) };
          if (spec.colors[i]) { item.itemStyle = { color: spec.colors[i] }; }
          return item;
        })
      }]
    };
  }

  function axisOption(spec) {
    var horizontal = spec.kind === "barh";
    var twoAxes = spec.series.some(function (s) { return s.axis === 1; });
    var categoryAxis = {
      type: "category",
      data: spec.categories,
      inverse: horizontal,
      axisLabel: horizontal ? { width: 170, overflow: "truncate" } : { hideOverlap: true }
    };
    var numbers = { formatter: shown };
    var valueAxes = [{ type: "value", name: spec.axes[0] || spec.unit, minInterval: 1, axisLabel: numbers }];
    if (twoAxes) {
      valueAxes.push({ type: "value", name: spec.axes[1], splitLine: { show: false }, axisLabel: numbers });
    }
    var series = spec.series.map(function (s) {
      var line = s.kind === "line";
      var one = {
        name: s.name,
        type: line ? "line" : "bar",
        data: s.values.map(num),
        cursor: "pointer",
        emphasis: { focus: "series" }
      };
      if (line) { one.symbolSize = 8; }
      if (s.color) { one.itemStyle = { color: s.color }; one.lineStyle = { color: s.color }; }
      if (spec.stack && !line) { one.stack = "total"; }
      if (!horizontal && s.axis === 1) { one.yAxisIndex = 1; }
      return one;
    });
    return {
      tooltip: { trigger: "axis", valueFormatter: shown },
      legend: { top: 0, type: "scroll" },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: horizontal ? valueAxes[0] : categoryAxis,
      yAxis: horizontal ? categoryAxis : valueAxes,
      series: series
    };
  }

  function draw(element) {
    var source = document.getElementById(element.dataset.chart);
    if (!source || typeof echarts === "undefined") { return; }
    var spec = JSON.parse(source.textContent);
    if (element.classList.contains("dash-chart-rows")) {
      // One bar per row (a province each): the chart grows with them (CSSOM, allowed by the CSP).
      element.style.height = Math.max(280, 80 + 22 * spec.categories.length) + "px";
    }
    var chart = echarts.init(element, null, { renderer: "canvas" });
    chart.setOption(spec.kind === "pie" ? pieOption(spec) : axisOption(spec));
    chart.on("click", function (params) {
      var serie = spec.series[spec.kind === "pie" ? 0 : params.seriesIndex];
      var url = serie && serie.urls[params.dataIndex];
      if (url) { window.location.assign(url); }
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function start() {
    document.querySelectorAll(".dash-chart[data-chart]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
