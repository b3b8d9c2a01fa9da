/**
 * Server-rendered horizontal bar charts as SVG text: no JavaScript, readable by screen readers through the
 * <title>/<desc> pair, and themed by the page (text uses currentColor, bars take CSS colours such as
 * var(--amber) that switch with the colour scheme). Pure: the same input always gives the same markup.
 */
import { escapeXml } from "~/lib/xml";

export type BarSeries = { label: string; color: string };
export type BarGroup = { label: string; values: number[] };
export type BarChartInput = {
  /** Prefix for the element ids the SVG references (must be unique on the page). */
  id: string;
  title: string;
  description: string;
  valueAxisLabel: string;
  series: BarSeries[];
  groups: BarGroup[];
  width?: number;
};

const LABEL_WIDTH = 190;
const VALUE_GUTTER = 44;
const BAR_HEIGHT = 16;
const BAR_GAP = 3;
const GROUP_GAP = 14;
const TOP = 56;
const BOTTOM = 44;
const MAX_LABEL_CHARS = 28;

/** Axis ticks from 0 in steps of 1, 2 or 5 × 10ⁿ (never fractions: the chart counts things). */
export function niceTicks(max: number, targetCount = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / targetCount;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, [1, 2, 5, 10].map((factor) => factor * magnitude).find((candidate) => candidate >= raw) ?? 10 * magnitude);
  const ticks: number[] = [];
  for (let value = 0; ; value += step) {
    ticks.push(value);
    if (value >= max) break;
  }
  return ticks;
}

function shorten(label: string) {
  return label.length > MAX_LABEL_CHARS ? `${label.slice(0, MAX_LABEL_CHARS - 1)}…` : label;
}

export function horizontalBarChart(input: BarChartInput): string {
  const width = input.width ?? 720;
  const plotLeft = LABEL_WIDTH;
  const plotWidth = width - LABEL_WIDTH - VALUE_GUTTER;
  const groupHeight = input.series.length * (BAR_HEIGHT + BAR_GAP) - BAR_GAP;
  const plotHeight = Math.max(1, input.groups.length) * (groupHeight + GROUP_GAP);
  const height = TOP + plotHeight + BOTTOM;
  const max = Math.max(0, ...input.groups.flatMap((group) => group.values));
  const ticks = niceTicks(max);
  const scaleMax = ticks[ticks.length - 1]!; // niceTicks gives at least one tick
  const x = (value: number) => plotLeft + (value / scaleMax) * plotWidth;
  const titleId = `${input.id}-title`;
  const descId = `${input.id}-desc`;

  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="${titleId} ${descId}" font-family="inherit" font-size="13">`,
    `<title id="${titleId}">${escapeXml(input.title)}</title>`,
    `<desc id="${descId}">${escapeXml(input.description)}</desc>`,
  );

  // Legend: one swatch per series.
  let legendX = plotLeft;
  for (const series of input.series) {
    parts.push(
      `<rect x="${legendX}" y="8" width="12" height="12" style="fill:${escapeXml(series.color)}"/>`,
      `<text x="${legendX + 18}" y="18" fill="currentColor">${escapeXml(series.label)}</text>`,
    );
    legendX += 30 + series.label.length * 7.5;
  }

  // Grid lines and the value axis below the plot.
  const axisY = TOP + plotHeight;
  for (const tick of ticks) {
    const tickX = round(x(tick));
    parts.push(
      `<line x1="${tickX}" y1="${TOP - 6}" x2="${tickX}" y2="${axisY}" stroke="currentColor" stroke-opacity="0.18"/>`,
      `<text x="${tickX}" y="${axisY + 16}" text-anchor="middle" fill="currentColor">${tick}</text>`,
    );
  }
  parts.push(
    `<line x1="${plotLeft}" y1="${axisY}" x2="${round(x(scaleMax))}" y2="${axisY}" stroke="currentColor" stroke-opacity="0.6"/>`,
    `<text x="${round(plotLeft + plotWidth / 2)}" y="${axisY + 36}" text-anchor="middle" fill="currentColor">${escapeXml(input.valueAxisLabel)}</text>`,
  );

  input.groups.forEach((group, groupIndex) => {
    const groupTop = TOP + groupIndex * (groupHeight + GROUP_GAP);
    parts.push(
      `<g>`,
      `<title>${escapeXml(group.label)}: ${input.series.map((series, i) => `${escapeXml(series.label)} ${group.values[i] ?? 0}`).join(", ")}</title>`,
      `<text x="${plotLeft - 8}" y="${round(groupTop + groupHeight / 2 + 4)}" text-anchor="end" fill="currentColor">${escapeXml(shorten(group.label))}</text>`,
    );
    input.series.forEach((series, seriesIndex) => {
      const value = group.values[seriesIndex] ?? 0;
      const barY = groupTop + seriesIndex * (BAR_HEIGHT + BAR_GAP);
      const barWidth = round(x(value) - plotLeft);
      parts.push(
        `<rect x="${plotLeft}" y="${barY}" width="${barWidth}" height="${BAR_HEIGHT}" rx="2" style="fill:${escapeXml(series.color)}"/>`,
        `<text x="${round(x(value) + 4)}" y="${barY + BAR_HEIGHT - 4}" fill="currentColor" font-size="12">${value}</text>`,
      );
    });
    parts.push(`</g>`);
  });

  parts.push(`</svg>`);
  return parts.join("");
}

function round(value: number) {
  return Math.round(value * 10) / 10;
}
