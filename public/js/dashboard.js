/* Dashboards: draws the charts described by JSON data blocks that the server rendered
 * next to each table. The table is the text alternative; the chart only adds a picture.
 * Chart specs: { kind, labels, series: [{ label, values, colour? }], unit?, title } */
(function () {
  'use strict';
  var PALETTE = ['#8c2d19', '#d0743c', '#b8b8b8', '#4f8fb8', '#1b4f72', '#6b8e23', '#7b3294', '#555555'];
  var NEUTRAL = '#b8b8b8';
  var charts = [];

  function percentTick(value) { return Math.abs(value) + '%'; }
  var BAR_PALETTE = ['#1b4f72', '#d0743c', '#6b8e23', '#7b3294', '#555555'];
  // One colour per answer across the whole page (a report): the same answer text gets the
  // same colour in every bar and trend chart. Diverging bars keep their scale colours, which
  // follow the answer's place on the scale and so are the same for the same scale anyway.
  var byAnswer = Object.create(null);
  var nextColour = 0;
  function colourFor(spec, index) {
    var series = spec.series[index];
    if (series.colour) return series.colour;
    if (spec.kind === 'diverging') return PALETTE[index % PALETTE.length];
    var key = String(series.label);
    if (!(key in byAnswer)) byAnswer[key] = BAR_PALETTE[nextColour++ % BAR_PALETTE.length];
    return byAnswer[key];
  }

  /** A diverging stacked bar: disagreeing answers to the left of zero, agreeing ones to the right. */
  function diverging(spec) {
    var k = spec.series.length;
    var middle = k % 2 === 1 ? (k - 1) / 2 : -1;
    var datasets = [];
    spec.series.forEach(function (series, index) {
      var colour = index === middle ? NEUTRAL : colourFor(spec, index);
      var sign = index < k / 2 ? -1 : 1;
      if (index === middle) {
        datasets.push({ label: series.label, data: series.values.map(function (v) { return -v / 2; }), backgroundColor: colour, stack: 's' });
        datasets.push({ label: series.label, data: series.values.map(function (v) { return v / 2; }), backgroundColor: colour, stack: 's', hiddenLegend: true });
      } else {
        datasets.push({ label: series.label, data: series.values.map(function (v) { return sign * v; }), backgroundColor: colour, stack: 's' });
      }
    });
    // Disagreeing answers nearest zero go first, so each bar reads outwards from the middle.
    var left = datasets.filter(function (d) { return d.data.some(function (v) { return v < 0; }); }).reverse();
    var right = datasets.filter(function (d) { return left.indexOf(d) < 0; });
    return {
      type: 'bar',
      data: { labels: spec.labels, datasets: left.concat(right) },
      options: {
        indexAxis: 'y',
        scales: { x: { stacked: true, min: -100, max: 100, ticks: { callback: percentTick } }, y: { stacked: true } },
        plugins: {
          legend: { labels: { filter: function (item, data) { return !data.datasets[item.datasetIndex].hiddenLegend; } } },
          tooltip: { callbacks: { label: function (c) { return c.dataset.label + ': ' + Math.abs(c.raw).toFixed(1).replace('.', ',') + '%'; } } },
        },
      },
    };
  }

  function bars(spec, horizontal) {
    return {
      type: 'bar',
      data: {
        labels: spec.labels,
        datasets: spec.series.map(function (series, index) {
          return { label: series.label, data: series.values, backgroundColor: colourFor(spec, index) };
        }),
      },
      options: {
        indexAxis: horizontal ? 'y' : 'x',
        scales: spec.unit === '%' ? (horizontal ? { x: { min: 0, max: 100, ticks: { callback: percentTick } } } : { y: { min: 0, max: 100, ticks: { callback: percentTick } } }) : {},
        plugins: { legend: { display: spec.series.length > 1 } },
      },
    };
  }

  /** Current and desired per item: a floating bar from one to the other, with both ends marked. */
  function dumbbell(spec) {
    var current = spec.series[0].values;
    var desired = spec.series[1].values;
    return {
      type: 'bar',
      data: {
        labels: spec.labels,
        datasets: [
          { type: 'scatter', label: spec.series[0].label, data: current.map(function (v, i) { return { x: v, y: spec.labels[i] }; }), backgroundColor: '#8c2d19', pointRadius: 6, pointStyle: 'circle' },
          { type: 'scatter', label: spec.series[1].label, data: desired.map(function (v, i) { return { x: v, y: spec.labels[i] }; }), backgroundColor: '#1b4f72', pointRadius: 6, pointStyle: 'rectRot' },
          { label: spec.rangeLabel, data: current.map(function (v, i) { return v === null || desired[i] === null ? null : [v, desired[i]]; }), backgroundColor: 'rgba(27, 79, 114, 0.25)', barPercentage: 0.35 },
        ],
      },
      options: { indexAxis: 'y', scales: { x: { min: spec.min === undefined ? 0 : spec.min, max: spec.max === undefined ? 4 : spec.max }, y: { type: 'category' } } },
    };
  }

  /** Mean gaps as horizontal bars in the ranking's order; negative gaps and priorities in colours of their own. */
  var GAP_COLOURS = { negative: '#8c2d19', priority: '#1b4f72', normal: '#4f8fb8' };
  function gaps(spec) {
    return {
      type: 'bar',
      data: {
        labels: spec.labels,
        datasets: [{
          label: spec.series[0].label, data: spec.series[0].values,
          backgroundColor: (spec.flags || []).map(function (f) { return GAP_COLOURS[f] || GAP_COLOURS.normal; }),
        }],
      },
      options: {
        indexAxis: 'y',
        scales: { x: { min: spec.min, max: spec.max, ticks: { stepSize: 1 } }, y: { ticks: { autoSkip: false } } },
        plugins: { legend: { display: false } },
      },
    };
  }

  function trend(spec) {
    return {
      type: 'line',
      data: {
        labels: spec.labels,
        datasets: spec.series.map(function (series, index) {
          return { label: series.label, data: series.values, borderColor: colourFor(spec, index), backgroundColor: colourFor(spec, index), tension: 0 };
        }),
      },
      options: { scales: { y: { min: 0, max: 100, ticks: { callback: percentTick } } } },
    };
  }

  var BUILDERS = {
    diverging: diverging,
    bars: function (spec) { return bars(spec, true); },
    columns: function (spec) { return bars(spec, false); },
    dumbbell: dumbbell,
    gaps: gaps,
    progress: function (spec) { return bars(spec, true); },
    trend: trend,
  };

  function draw(block) {
    var spec = JSON.parse(block.textContent);
    var canvas = document.getElementById(block.getAttribute('data-canvas'));
    var build = BUILDERS[spec.kind];
    if (!canvas || !build) return;
    var config = build(spec);
    config.options = config.options || {};
    config.options.animation = false;
    config.options.responsive = true;
    config.options.maintainAspectRatio = false;
    config.options.locale = 'nl-NL';
    // Every category label is drawn, whatever the space: Chart.js would otherwise skip some
    // (on A4 most Weerman item numbers went missing). Long labels arrive wrapped in lines.
    var categoryAxis = config.options.indexAxis === 'y' ? 'y' : 'x';
    config.options.scales = config.options.scales || {};
    config.options.scales[categoryAxis] = config.options.scales[categoryAxis] || {};
    config.options.scales[categoryAxis].ticks = Object.assign({}, config.options.scales[categoryAxis].ticks, { autoSkip: false });
    charts.push(new Chart(canvas, config));
  }

  if (window.Chart) {
    Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif';
    Chart.defaults.color = '#1f2328';
    Array.prototype.forEach.call(document.querySelectorAll('script.chart-data'), draw);
  }

  // Charts are sized for the screen; redraw them at the paper's width before printing.
  window.addEventListener('beforeprint', function () { charts.forEach(function (c) { c.resize(); }); });
  window.addEventListener('afterprint', function () { charts.forEach(function (c) { c.resize(); }); });

  var printButton = document.getElementById('print-report');
  if (printButton) printButton.addEventListener('click', function () { window.print(); });
})();
