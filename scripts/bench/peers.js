// The plain-JavaScript peers of the benchmark, loaded into the harness page
// (never into the site): the same work as Pulse's Rust code paths, written
// the way a careful JavaScript developer would, so the ratios compare like
// with like. Each returns the same checksums as its Rust counterpart in
// src/bin/pulse_bench.rs.
(() => {
  "use strict";

  const MINUTES = 1440;
  const MEDIA = new Set(["text", "image", "video", "link"]);
  const U32_MAX = 4294967295;
  const DAY_GROUP_MINUTES = 5;

  function fail(place, why) {
    throw new Error(`delivery: ${place}: ${why}`);
  }

  function checkCounts(list, expected, place) {
    if (!Array.isArray(list) || list.length !== expected) {
      fail(place, `${Array.isArray(list) ? list.length : "no"} counts, expected ${expected}`);
    }
    for (let i = 0; i < list.length; i++) {
      const v = list[i];
      if (!Number.isInteger(v) || v < 0 || v > U32_MAX) fail(`${place}[${i}]`, `${v} is not a count`);
    }
  }

  // Seconds, 1e6 + edge for "at least edge", -1 for no data (as in Rust).
  function quantile(counts, off, len, bounds, q) {
    let n = 0;
    for (let i = 0; i < len; i++) n += counts[off + i];
    if (n === 0) return -1;
    const rank = Math.min(Math.max(q, 0), 1) * n;
    let before = 0;
    for (let i = 0; i < len; i++) {
      const c = counts[off + i];
      const cum = before + c;
      if (c > 0 && cum >= rank) {
        if (i >= bounds.length) return 1e6 + (bounds.length ? bounds[bounds.length - 1] : 0);
        const lower = i > 0 ? bounds[i - 1] : 0;
        const upper = bounds[i];
        const v = lower + ((rank - before) / c) * (upper - lower);
        return Math.min(Math.max(v, lower), upper);
      }
      before = cum;
    }
    return -1;
  }

  // The buckets counted as "within 60 s" and "90 s or more" (nearest bounds).
  function classEdges(bounds) {
    const nearest = (target) => {
      let best = 0;
      for (let i = 1; i < bounds.length; i++) {
        if (Math.abs(bounds[i] - target) < Math.abs(bounds[best] - target)) best = i;
      }
      return best;
    };
    const k = nearest(60);
    const l = Math.max(nearest(90), k);
    return { ltEnd: k + 1, geStart: l + 1 };
  }

  function split(counts, off, len, failed, edges) {
    let lt60 = 0;
    let mid = 0;
    let ge90 = 0;
    for (let i = 0; i < len; i++) {
      const n = counts[off + i];
      if (i < edges.ltEnd) lt60 += n;
      else if (i < edges.geStart) mid += n;
      else ge90 += n;
    }
    return { lt60, from60to90: mid, ge90, failed };
  }

  function kpis(counts, off, len, failed, bounds, edges) {
    const c = split(counts, off, len, failed, edges);
    const sent = c.lt60 + c.from60to90 + c.ge90;
    return {
      sent,
      failed,
      within60s: sent > 0 ? c.lt60 / sent : -1,
      late90s: c.ge90,
      p50: quantile(counts, off, len, bounds, 0.5),
      p95: quantile(counts, off, len, bounds, 0.95),
      p99: quantile(counts, off, len, bounds, 0.99),
    };
  }

  // JSON.parse + the contract's checks + the Delivery view's aggregates.
  function deliveryAggregate(body, day) {
    const doc = JSON.parse(body);
    if (doc === null || typeof doc !== "object") fail("", "not an object");
    if (typeof doc.date !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(doc.date)) fail("date", "not a day");
    if (doc.date !== day) fail("date", `is ${doc.date}, expected ${day}`);
    const bounds = doc.bounds_s;
    if (!Array.isArray(bounds) || bounds.length === 0) fail("bounds_s", "is empty");
    let prev = 0;
    for (let i = 0; i < bounds.length; i++) {
      const b = bounds[i];
      if (typeof b !== "number" || !Number.isFinite(b) || b <= prev) fail(`bounds_s[${i}]`, "not ascending");
      prev = b;
    }
    const buckets = bounds.length + 1;
    const expected = MINUTES * buckets;
    if (!Array.isArray(doc.series)) fail("series", "not a list");
    const seen = new Set();
    const series = [];
    for (let i = 0; i < doc.series.length; i++) {
      const s = doc.series[i];
      if (s === null || typeof s !== "object") fail(`series[${i}]`, "not an object");
      if (typeof s.network !== "string" || s.network === "") fail(`series[${i}].network`, "is empty");
      if (!MEDIA.has(s.media)) fail(`series[${i}].media`, "unknown");
      checkCounts(s.counts, expected, `series[${i}].counts`);
      let failed = s.failed;
      if (failed === undefined || failed === null) failed = new Array(MINUTES).fill(0);
      else checkCounts(failed, MINUTES, `series[${i}].failed`);
      const key = `${s.network}\u0000${s.media}`;
      if (seen.has(key)) fail(`series[${i}]`, "pair appears twice");
      seen.add(key);
      series.push({ network: s.network, media: s.media, counts: s.counts, failed });
    }

    // The day summed over every series.
    const counts = new Float64Array(expected);
    const failedAt = new Float64Array(MINUTES);
    for (const s of series) {
      const c = s.counts;
      for (let j = 0; j < expected; j++) counts[j] += c[j];
      const f = s.failed;
      for (let m = 0; m < MINUTES; m++) failedAt[m] += f[m];
    }
    const edges = classEdges(bounds);

    const whole = new Float64Array(buckets);
    let wholeFailed = 0;
    for (let m = 0; m < MINUTES; m++) {
      for (let b = 0; b < buckets; b++) whole[b] += counts[m * buckets + b];
      wholeFailed += failedAt[m];
    }
    const k = kpis(whole, 0, buckets, wholeFailed, bounds, edges);

    const minutes = new Array(MINUTES);
    let minuteGe90 = 0;
    for (let m = 0; m < MINUTES; m++) {
      const classes = split(counts, m * buckets, buckets, failedAt[m], edges);
      minutes[m] = { minute: m, classes };
      minuteGe90 += classes.ge90;
    }

    const points = [];
    const acc = new Float64Array(buckets);
    for (let first = 0; first < MINUTES; first += DAY_GROUP_MINUTES) {
      const last = Math.min(first + DAY_GROUP_MINUTES, MINUTES) - 1;
      acc.fill(0);
      for (let m = first; m <= last; m++) {
        for (let b = 0; b < buckets; b++) acc[b] += counts[m * buckets + b];
      }
      let sent = 0;
      for (let b = 0; b < buckets; b++) sent += acc[b];
      points.push({
        from: first,
        to: last,
        sent,
        p50: quantile(acc, 0, buckets, bounds, 0.5),
        p95: quantile(acc, 0, buckets, bounds, 0.95),
        p99: quantile(acc, 0, buckets, bounds, 0.99),
      });
    }

    const heat = new Array(MINUTES * buckets);
    let heatShares = 0;
    for (let m = 0; m < MINUTES; m++) {
      let sent = 0;
      for (let b = 0; b < buckets; b++) sent += counts[m * buckets + b];
      for (let b = 0; b < buckets; b++) {
        const count = counts[m * buckets + b];
        const share = sent > 0 ? count / sent : 0;
        heat[m * buckets + b] = { minute: m, bucket: b, count, share };
        heatShares += share;
      }
    }

    const rows = [];
    const own = new Float64Array(buckets);
    for (const s of series) {
      own.fill(0);
      let failed = 0;
      for (let m = 0; m < MINUTES; m++) {
        for (let b = 0; b < buckets; b++) own[b] += s.counts[m * buckets + b];
        failed += s.failed[m];
      }
      const r = kpis(own, 0, buckets, failed, bounds, edges);
      rows.push({ network: s.network, media: s.media, sent: r.sent, failed, within60s: r.within60s, late90s: r.late90s, p95: r.p95 });
    }

    let qpP95 = 0;
    for (const p of points) qpP95 += p.p95;
    let rowsSent = 0;
    let rowsP95 = 0;
    for (const r of rows) {
      rowsSent += r.sent;
      rowsP95 += r.p95;
    }
    return [
      k.sent, k.failed, k.late90s, k.within60s, k.p50, k.p95, k.p99,
      minuteGe90, points.length, qpP95, heatShares, rows.length, rowsSent, rowsP95,
    ];
  }

  // Month-end MRR and the five movements (plus plan switches), total and
  // per plan, as src/model/revenue.rs defines them, over columns of events.
  function movements(ev) {
    const { customer, at, plan, mrr, plans, customers } = ev;
    const n = at.length;
    if (n === 0) return [0, 0, 0, 0, 0, 0, 0, 0];
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((a, b) => at[a] - at[b] || a - b);

    const first = new Date(at[order[0]]);
    const last = new Date(at[order[n - 1]]);
    const monthEnds = [];
    for (let y = first.getUTCFullYear(), m = first.getUTCMonth(); ; ) {
      monthEnds.push(Date.UTC(y, m + 1, 1));
      if (y === last.getUTCFullYear() && m === last.getUTCMonth()) break;
      m += 1;
      if (m === 12) {
        m = 0;
        y += 1;
      }
    }
    const months = monthEnds.length;
    const cells = plans * months;
    const f = () => new Float64Array(cells);
    const c = () => new Uint32Array(cells);
    const fig = {
      mrr: f(), paying: c(), new: f(), expansion: f(), contraction: f(), churn: f(), reactivation: f(), entering: f(), leaving: f(),
      nNew: c(), nExpansion: c(), nContraction: c(), nChurn: c(), nReactivation: c(), nEntering: c(), nLeaving: c(),
    };
    const cur = new Float64Array(customers);
    const curPlan = new Uint32Array(customers);
    const prev = new Float64Array(customers);
    const prevPlan = new Uint32Array(customers);
    const paidBefore = new Uint8Array(customers);
    const isTouched = new Uint8Array(customers);
    const touched = new Uint32Array(customers);
    const planMrr = new Float64Array(plans);
    const planPaying = new Uint32Array(plans);
    const total = [];

    let next = 0;
    for (let mi = 0; mi < months; mi++) {
      const end = monthEnds[mi];
      let nt = 0;
      while (next < n) {
        const i = order[next];
        if (at[i] >= end) break;
        next += 1;
        const id = customer[i];
        if (id >= customers || plan[i] >= plans) continue;
        cur[id] = mrr[i];
        curPlan[id] = plan[i];
        if (!isTouched[id]) {
          isTouched[id] = 1;
          touched[nt++] = id;
        }
      }
      for (let t = 0; t < nt; t++) {
        const id = touched[t];
        const p = prev[id];
        const pp = prevPlan[id];
        const v = cur[id];
        const cp = curPlan[id];
        const before = paidBefore[id];
        isTouched[id] = 0;
        prev[id] = v;
        prevPlan[id] = cp;
        if (v > 0) paidBefore[id] = 1;
        if (p > 0) {
          planMrr[pp] -= p;
          planPaying[pp] -= 1;
        }
        if (v > 0) {
          planMrr[cp] += v;
          planPaying[cp] += 1;
        }
        if (p > 0 && !(v > 0)) {
          const j = pp * months + mi;
          fig.churn[j] -= p;
          fig.nChurn[j] += 1;
        } else if (!(p > 0) && v > 0) {
          const j = cp * months + mi;
          if (before) {
            fig.reactivation[j] += v;
            fig.nReactivation[j] += 1;
          } else {
            fig.new[j] += v;
            fig.nNew[j] += 1;
          }
        } else if (p > 0 && v > 0) {
          const j = cp * months + mi;
          if (v > p) {
            fig.expansion[j] += v - p;
            fig.nExpansion[j] += 1;
          } else if (v < p) {
            fig.contraction[j] += v - p;
            fig.nContraction[j] += 1;
          }
          if (pp !== cp) {
            const k = pp * months + mi;
            fig.leaving[k] -= p;
            fig.nLeaving[k] += 1;
            fig.entering[j] += p;
            fig.nEntering[j] += 1;
          }
        }
      }
      const sum = { mrr: 0, paying: 0, new: 0, expansion: 0, contraction: 0, churn: 0, reactivation: 0, entering: 0, leaving: 0 };
      for (let pl = 0; pl < plans; pl++) {
        const j = pl * months + mi;
        fig.mrr[j] = planMrr[pl];
        fig.paying[j] = planPaying[pl];
        sum.mrr += planMrr[pl];
        sum.paying += planPaying[pl];
        sum.new += fig.new[j];
        sum.expansion += fig.expansion[j];
        sum.contraction += fig.contraction[j];
        sum.churn += fig.churn[j];
        sum.reactivation += fig.reactivation[j];
        sum.entering += fig.entering[j];
        sum.leaving += fig.leaving[j];
      }
      total.push(sum);
    }
    const all = (key) => total.reduce((a, t) => a + t[key], 0);
    const end = total[total.length - 1];
    return [
      months, end.mrr, all("new"), all("expansion"), all("contraction"), all("churn"), all("reactivation"), end.paying,
    ];
  }

  window.benchPeers = { deliveryAggregate, movements };
})();
