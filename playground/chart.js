/**
 * Delivery over time on a `<canvas>`, no chart library: acknowledged events per second (green,
 * filled), outbox depth (amber, its own scale, labelled on the right) and a red band for each
 * sample in which a retry happened. One sample every `stepMs`; the last `windowMs` are drawn.
 */
const COLORS = { grid: '#1f2935', text: '#8693a3', acked: '#3ecf8e', fill: 'rgba(62,207,142,.14)', queue: '#f5a524', retry: '#f2555a', band: 'rgba(242,85,90,.12)' };

/**
 * @example
 * const chart = createChart(canvas, { stepMs: 500, windowMs: 60_000 });
 * chart.push({ rate: 12, queue: 40, retried: false });
 */
export function createChart(canvas, { stepMs = 500, windowMs = 60_000 } = {}) {
  const capacity = Math.round(windowMs / stepMs);
  const samples = [];

  const draw = () => {
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth;
    const height = canvas.clientHeight;
    if (canvas.width !== Math.round(width * ratio)) canvas.width = Math.round(width * ratio);
    if (canvas.height !== Math.round(height * ratio)) canvas.height = Math.round(height * ratio);
    const g = canvas.getContext('2d');
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, width, height);
    const pad = { left: 8, right: 8, top: 16, bottom: 8 };
    const plotW = width - pad.left - pad.right;
    const plotH = height - pad.top - pad.bottom;
    // Round scales up to a readable number so the axis labels stay put while values wobble.
    const rateMax = nice(Math.max(5, ...samples.map((s) => s.rate)));
    const queueMax = nice(Math.max(10, ...samples.map((s) => s.queue)));
    const x = (index) => pad.left + plotW - (samples.length - 1 - index) * (plotW / (capacity - 1));
    const y = (value, max) => pad.top + plotH - (value / max) * plotH;

    g.strokeStyle = COLORS.grid;
    g.lineWidth = 1;
    for (let line = 0; line <= 4; line++) {
      const at = Math.round(pad.top + (plotH * line) / 4) + 0.5;
      g.beginPath();
      g.moveTo(pad.left, at);
      g.lineTo(width - pad.right, at);
      g.stroke();
    }
    g.font = '11px system-ui, sans-serif';
    g.fillStyle = COLORS.acked;
    g.fillText(`${rateMax} /s`, pad.left + 2, 12);
    g.fillStyle = COLORS.queue;
    const label = `${queueMax} queued`;
    g.fillText(label, width - pad.right - g.measureText(label).width - 2, 12);
    if (samples.length < 2) return;

    // A retry marks its sample with a faint band over the plot and a solid tick at the foot.
    const band = plotW / (capacity - 1);
    for (let index = 0; index < samples.length; index++) {
      if (!samples[index].retried) continue;
      g.fillStyle = COLORS.band;
      g.fillRect(x(index) - band / 2, pad.top, band, plotH);
      g.fillStyle = COLORS.retry;
      g.fillRect(x(index) - 1, pad.top + plotH - 10, 2, 10);
    }
    g.beginPath();
    samples.forEach((sample, index) => g.lineTo(x(index), y(sample.rate, rateMax)));
    g.lineTo(x(samples.length - 1), pad.top + plotH);
    g.lineTo(x(0), pad.top + plotH);
    g.closePath();
    g.fillStyle = COLORS.fill;
    g.fill();
    line(g, samples.map((sample, index) => [x(index), y(sample.rate, rateMax)]), COLORS.acked);
    line(g, samples.map((sample, index) => [x(index), y(sample.queue, queueMax)]), COLORS.queue);
  };

  return {
    push(sample) {
      samples.push(sample);
      if (samples.length > capacity) samples.shift();
      draw();
    },
    draw,
  };
}

function line(g, points, color) {
  g.beginPath();
  for (const [px, py] of points) g.lineTo(px, py);
  g.strokeStyle = color;
  g.lineWidth = 2;
  g.lineJoin = 'round';
  g.stroke();
}

/** 1, 2, 5 × 10^n at or above `value`. */
function nice(value) {
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((step) => step * power).find((candidate) => candidate >= value);
}
