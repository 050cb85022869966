// The sample's dashboard: polls /actuator/compression every second and draws its figures on
// plain canvases (no libraries, no build step).
'use strict';

(function () {
	const POLL_MILLIS = 1000;
	const WINDOW_SECONDS = 120;
	// how far back "recent writes" look
	const RECENT_SECONDS = 30;
	const ENDPOINT = 'actuator/compression';

	// [lowest, highest, default] level of each algorithm, as the core's Algorithm enum defines them
	const LEVELS = {
		zstd: [-22, 22, 3],
		lz4: [0, 17, 0],
		gzip: [0, 9, 6],
		deflate: [0, 9, 6],
		snappy: [0, 0, 0],
		none: [0, 0, 0],
	};

	const COLORS = {
		saved: '#0b6e4f',
		stored: '#b45309',
		writes: '#1d4ed8',
		reads: '#9333ea',
		compressed: '#0b6e4f',
		fallback: '#b45309',
		failure: '#b91c1c',
		codec: '#1d4ed8',
		grid: '#e3e8ed',
		axis: '#56606c',
		ink: '#1b2430',
	};

	const samples = [];
	let latest = null;
	let formTouched = false;

	const byId = (id) => document.getElementById(id);

	// formatting

	function formatBytes(bytes) {
		const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
		let value = Math.max(0, bytes);
		let unit = 0;
		while (value >= 1024 && unit < units.length - 1) {
			value /= 1024;
			unit++;
		}
		const digits = (unit === 0 || value >= 100) ? 0 : (value >= 10 ? 1 : 2);
		return value.toFixed(digits) + ' ' + units[unit];
	}

	function formatPercent(ratio) {
		return (ratio * 100).toFixed(1) + '%';
	}

	function formatMicros(micros) {
		if (micros >= 1000) {
			return (micros / 1000).toFixed(micros >= 10000 ? 0 : 1) + ' ms';
		}
		return micros.toFixed(micros >= 100 ? 0 : 1) + ' µs';
	}

	function formatCount(count) {
		return Number(count).toLocaleString('en-US');
	}

	function formatTime(iso) {
		const date = new Date(iso);
		return isNaN(date.getTime()) ? String(iso) : date.toLocaleString();
	}

	function setText(id, text) {
		const element = byId(id);
		if (element.textContent !== text) {
			element.textContent = text;
		}
	}

	function setMessage(id, text, kind) {
		const element = byId(id);
		element.textContent = text;
		element.classList.toggle('error', kind === 'error');
		element.classList.toggle('ok', kind === 'ok');
	}

	// canvas charts

	function prepare(canvas) {
		const ratio = window.devicePixelRatio || 1;
		const width = canvas.clientWidth;
		const height = canvas.clientHeight;
		if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
			canvas.width = Math.round(width * ratio);
			canvas.height = Math.round(height * ratio);
		}
		const context = canvas.getContext('2d');
		context.setTransform(ratio, 0, 0, ratio, 0, 0);
		context.clearRect(0, 0, width, height);
		context.font = '12px system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", Arial, sans-serif';
		context.textBaseline = 'middle';
		return { context, width, height };
	}

	// lines over the last WINDOW_SECONDS; series: [{ values: [[time, value]], color, fill }]
	function drawLines(canvas, series, options) {
		const { context, width, height } = prepare(canvas);
		const now = Date.now();
		const left = options.leftMargin;
		const right = width - 10;
		const top = 10;
		const bottom = height - 22;
		let max = options.max;
		if (max === undefined) {
			max = 0;
			for (const line of series) {
				for (const [, value] of line.values) {
					max = Math.max(max, value);
				}
			}
			max = niceCeiling(max);
		}
		const x = (time) => left + (right - left) * (1 - (now - time) / (WINDOW_SECONDS * 1000));
		const y = (value) => bottom - (bottom - top) * (max > 0 ? value / max : 0);

		context.strokeStyle = COLORS.grid;
		context.fillStyle = COLORS.axis;
		context.lineWidth = 1;
		context.textAlign = 'right';
		for (let step = 0; step <= 4; step++) {
			const value = max * step / 4;
			const lineY = Math.round(y(value)) + 0.5;
			context.beginPath();
			context.moveTo(left, lineY);
			context.lineTo(right, lineY);
			context.stroke();
			context.fillText(options.format(value), left - 6, lineY);
		}
		context.textBaseline = 'top';
		const ticks = (right - left) < 320 ? [120, 60, 0] : [120, 90, 60, 30, 0];
		for (const secondsAgo of ticks) {
			const labelX = x(now - secondsAgo * 1000);
			context.textAlign = secondsAgo === WINDOW_SECONDS ? 'left' : (secondsAgo === 0 ? 'right' : 'center');
			context.fillText(secondsAgo === 0 ? 'now' : '−' + secondsAgo + ' s', labelX, bottom + 6);
		}

		for (const line of series) {
			const points = line.values.filter(([time]) => now - time <= WINDOW_SECONDS * 1000);
			if (points.length === 0) {
				continue;
			}
			context.beginPath();
			points.forEach(([time, value], index) => {
				if (index === 0) {
					context.moveTo(x(time), y(value));
				}
				else {
					context.lineTo(x(time), y(value));
				}
			});
			if (line.fill) {
				context.save();
				context.lineTo(x(points[points.length - 1][0]), bottom);
				context.lineTo(x(points[0][0]), bottom);
				context.closePath();
				context.globalAlpha = 0.15;
				context.fillStyle = line.color;
				context.fill();
				context.restore();
				context.beginPath();
				points.forEach(([time, value], index) => index === 0
					? context.moveTo(x(time), y(value)) : context.lineTo(x(time), y(value)));
			}
			context.strokeStyle = line.color;
			context.lineWidth = 2;
			context.stroke();
		}
	}

	// horizontal bars; entries: [{ label, value, color }]
	function drawBars(canvas, entries, format) {
		const rowHeight = 26;
		canvas.style.height = (entries.length * rowHeight + 4) + 'px';
		const { context, width, height } = prepare(canvas);
		const max = Math.max(1, ...entries.map((entry) => entry.value));
		let labelWidth = 0;
		let valueWidth = 0;
		for (const entry of entries) {
			labelWidth = Math.max(labelWidth, context.measureText(entry.label).width);
			valueWidth = Math.max(valueWidth, context.measureText(format(entry.value)).width);
		}
		const left = Math.ceil(labelWidth) + 10;
		const right = width - Math.ceil(valueWidth) - 10;
		const row = Math.min(rowHeight, (height - 4) / Math.max(1, entries.length));
		const barHeight = Math.max(6, row * 0.6);
		entries.forEach((entry, index) => {
			const centre = 2 + row * index + row / 2;
			context.fillStyle = COLORS.ink;
			context.textAlign = 'right';
			context.fillText(entry.label, left - 8, centre);
			context.fillStyle = COLORS.grid;
			context.fillRect(left, centre - barHeight / 2, Math.max(0, right - left), barHeight);
			const length = Math.max(0, (right - left) * entry.value / max);
			context.fillStyle = entry.color;
			context.fillRect(left, centre - barHeight / 2, length, barHeight);
			context.fillStyle = COLORS.ink;
			context.textAlign = 'left';
			context.fillText(format(entry.value), left + length + 6, centre);
		});
	}

	function niceCeiling(value) {
		if (value <= 0) {
			return 1;
		}
		const magnitude = Math.pow(10, Math.floor(Math.log10(value)));
		for (const factor of [1, 2, 2.5, 5, 10]) {
			if (value <= factor * magnitude) {
				return factor * magnitude;
			}
		}
		return 10 * magnitude;
	}

	function entriesOf(counts, colorOf) {
		return Object.entries(counts || {}).map(([label, value]) => ({ label, value, color: colorOf(label) }));
	}

	function summary(entries) {
		return entries.map((entry) => entry.label + ': ' + formatCount(entry.value)).join(', ') + '.';
	}

	function drawCharts() {
		if (!latest) {
			return;
		}
		const saved = samples.map((sample) => [sample.time, sample.saved]);
		const stored = samples.map((sample) => [sample.time, sample.stored]);
		drawLines(byId('bytes-chart'), [
			{ values: saved, color: COLORS.saved, fill: true },
			{ values: stored, color: COLORS.stored },
		], { format: formatBytes, leftMargin: 70 });
		setText('bytes-chart-summary', 'Now ' + formatBytes(latest.bytes.saved) + ' saved and '
				+ formatBytes(latest.bytes.stored) + ' stored.');

		drawLines(byId('ratio-chart'), [
			{ values: samples.map((sample) => [sample.time, sample.writeRatio]), color: COLORS.writes },
			{ values: samples.map((sample) => [sample.time, sample.readRatio]), color: COLORS.reads },
		], { format: (value) => Math.round(value * 100) + '%', leftMargin: 42, max: 1 });
		setText('ratio-chart-summary', 'Now ' + formatPercent(latest.writes.hitRatio) + ' of writes and '
				+ formatPercent(latest.reads.hitRatio) + ' of reads compressed.');

		const outcomes = entriesOf(latest.writes.byOutcome,
				(label) => label === 'compressed' ? COLORS.compressed : COLORS.fallback);
		drawBars(byId('outcomes-chart'), outcomes, formatCount);
		setText('outcomes-chart-summary', summary(outcomes));

		const failures = entriesOf(latest.reads.failuresByReason, () => COLORS.failure);
		drawBars(byId('failures-chart'), failures, formatCount);
		setText('failures-chart-summary', summary(failures));

		const codecs = entriesOf(latest.writes.compressedByCodec, () => COLORS.codec)
			.filter((entry) => entry.label !== 'none');
		drawBars(byId('codecs-chart'), codecs, formatCount);
		setText('codecs-chart-summary', summary(codecs));
	}

	// rendering the endpoint's answer

	function render(data) {
		latest = data;
		const now = Date.now();
		samples.push({
			time: now,
			saved: data.bytes.saved,
			stored: data.bytes.stored,
			writeRatio: data.writes.hitRatio,
			readRatio: data.reads.hitRatio,
			writes: writeCounts(data),
		});
		while (samples.length > 0 && now - samples[0].time > (WINDOW_SECONDS + 5) * 1000) {
			samples.shift();
		}

		setText('write-hit-ratio', formatPercent(data.writes.hitRatio));
		setText('write-counts', formatCount(data.writes.compressed) + ' of ' + formatCount(data.writes.total)
				+ ' writes compressed');
		setText('read-hit-ratio', formatPercent(data.reads.hitRatio));
		setText('read-counts', formatCount(data.reads.compressed) + ' of ' + formatCount(data.reads.total)
				+ ' reads compressed');
		const savedElement = byId('bytes-saved');
		savedElement.dataset.bytes = String(data.bytes.saved);
		setText('bytes-saved', formatBytes(data.bytes.saved));
		setText('bytes-detail', formatBytes(data.bytes.original) + ' original → ' + formatBytes(data.bytes.stored)
				+ ' stored');
		// the headline is what every write got, plain ones included: never the compressed values alone
		const written = data.bytes.original;
		const overall = written > 0 ? data.bytes.stored / written : 0;
		setText('average-ratio', written > 0 ? overall.toFixed(3) : '–');
		setText('average-ratio-note', written > 0 && overall > 0
			? (1 / overall).toFixed(1) + '× smaller over every value written (compressed values alone: '
				+ (data.bytes.averageRatio > 0 ? (1 / data.bytes.averageRatio).toFixed(1) + '×' : '–') + ')'
			: 'of every value written, plain ones included');
		renderRecentWrites(now);
		renderBreakers(data);
		renderLatency('compress', data.latency.compress, 'compressions');
		renderLatency('decompress', data.latency.decompress, 'decompressions');

		renderPolicy(data.policy);
		renderHistory(data.history || []);
		renderRefused(data.lastRefused);
		drawCharts();
	}

	function writeCounts(data) {
		const outcomes = data.writes.byOutcome || {};
		const fallbacks = (data.resilience && data.resilience.fallbacksByReason) || {};
		const skipped = outcomes.skipped || 0;
		return {
			total: data.writes.total,
			compressed: data.writes.compressed,
			// writes the breaker sent to a faster level are compressed; those it stored plain are skipped
			faster: Math.max(0, (fallbacks.slow || 0) + (fallbacks.failing || 0) - skipped),
		};
	}

	// shares of the writes since the oldest sample of the last RECENT_SECONDS
	function renderRecentWrites(now) {
		const first = samples.find((sample) => now - sample.time <= RECENT_SECONDS * 1000);
		const last = samples[samples.length - 1];
		const total = last.writes.total - first.writes.total;
		const element = byId('recent-writes');
		if (total <= 0) {
			element.classList.remove('alert');
			setText('recent-writes', 'No writes in the last ' + RECENT_SECONDS + ' s');
			return;
		}
		const plain = total - (last.writes.compressed - first.writes.compressed);
		const faster = Math.min(total, last.writes.faster - first.writes.faster);
		element.dataset.plainShare = String(plain / total);
		element.classList.toggle('alert', plain > 0 || faster > 0);
		setText('recent-writes', 'Last ' + RECENT_SECONDS + ' s: ' + formatPercent(plain / total) + ' of '
				+ formatCount(total) + ' writes stored plain' + (faster > 0
					? ', ' + formatPercent(faster / total) + ' at a faster level' : ''));
	}

	// every breaker: one per target when the endpoint lists targets, else the one of all writes
	function breakersOf(data) {
		const targets = data.targets;
		const entries = Array.isArray(targets)
			? targets.map((target) => [target.name || target.target, target])
			: Object.entries(targets || {});
		const perTarget = entries.filter(([, target]) => target && target.breaker)
			.map(([name, target]) => ({ name: name, breaker: target.breaker }));
		if (perTarget.length > 0) {
			return perTarget;
		}
		return data.resilience && data.resilience.breaker ? [{ name: null, breaker: data.resilience.breaker }] : [];
	}

	function renderBreakers(data) {
		const banner = byId('breaker-banner');
		const tripped = breakersOf(data).filter(({ breaker }) => breaker.state !== 'closed'
			&& breaker.state !== 'disabled');
		banner.hidden = tripped.length === 0;
		const open = tripped.some(({ breaker }) => breaker.state === 'open');
		banner.dataset.state = open ? 'open' : (tripped.length > 0 ? tripped[0].breaker.state : 'closed');
		if (tripped.length === 0) {
			return;
		}
		const degraded = tripped.some(({ breaker }) => breaker.state === 'degraded');
		setText('breaker-banner-title', open ? 'Compression breaker open: writes are stored plain'
			: (degraded ? 'Compression breaker degraded: writes use a faster level'
				: 'Compression breaker half-open: probing the policy again'));
		const list = byId('breaker-banner-list');
		const key = tripped.map(({ name, breaker }) => name + breaker.state + breaker.since + breaker.detail).join('|');
		if (list.dataset.key === key) {
			return;
		}
		list.dataset.key = key;
		list.replaceChildren(...tripped.map(({ name, breaker }) => {
			const item = document.createElement('li');
			item.textContent = (name ? name + ': ' : '') + breaker.state
				+ (breaker.reason ? ' (' + breaker.reason + ')' : '') + ' since ' + formatTime(breaker.since)
				+ ': ' + breaker.detail;
			return item;
		}));
	}

	function renderLatency(id, percentiles, what) {
		const measured = percentiles.count > 0;
		setText(id + '-latency', measured
			? formatMicros(percentiles.p50) + ' / ' + formatMicros(percentiles.p99) : '–');
		setText(id + '-count', formatCount(percentiles.count) + ' ' + what
				+ (measured ? ', p95 ' + formatMicros(percentiles.p95) : ''));
	}

	function renderPolicy(policy) {
		setText('policy-version', String(policy.version));
		setText('policy-source', policy.source);
		setText('policy-algorithm', policy.algorithm);
		setText('policy-level', String(policy.level));
		setText('policy-min-size', formatCount(policy.minSize) + ' B');
		setText('policy-max-ratio', String(policy.maxRatio));
		setText('policy-checksum', policy.checksum ? 'CRC-32C' : 'off');
		setText('policy-changed-at', formatTime(policy.changedAt));
		if (!formTouched) {
			const select = byId('algorithm');
			if (![...select.options].some((option) => option.value === policy.algorithm)) {
				select.add(new Option(policy.algorithm, policy.algorithm));
			}
			select.value = policy.algorithm;
			byId('level').value = String(policy.level);
			describeLevels();
		}
	}

	function renderHistory(history) {
		const body = byId('history-rows');
		const key = history.map((change) => change.version).join(',');
		if (body.dataset.versions === key) {
			return;
		}
		body.dataset.versions = key;
		body.replaceChildren(...history.slice().reverse().map((change) => {
			const row = document.createElement('tr');
			for (const [text, className] of [[String(change.version)], [change.source], [formatTime(change.changedAt)],
				[change.changes, 'changes']]) {
				const cell = document.createElement('td');
				cell.textContent = text;
				if (className) {
					cell.className = className;
				}
				row.append(cell);
			}
			return row;
		}));
	}

	function renderRefused(refused) {
		const element = byId('last-refused');
		element.classList.toggle('has-refusal', Boolean(refused));
		setText('last-refused', refused
			? formatTime(refused.refusedAt) + ' from ' + refused.source + ': ' + refused.reason
			: 'None.');
	}

	function setConnection(ok, detail) {
		const element = byId('connection');
		element.classList.toggle('ok', ok);
		element.classList.toggle('down', !ok);
		element.textContent = ok
			? 'Live · updated ' + new Date().toLocaleTimeString()
			: 'Cannot read /' + ENDPOINT + ' (' + detail + '); retrying every second';
	}

	// polling

	async function fetchCompression() {
		const response = await fetch(ENDPOINT, { cache: 'no-store', headers: { Accept: 'application/json' } });
		if (!response.ok) {
			throw new Error('HTTP ' + response.status);
		}
		return response.json();
	}

	async function refresh() {
		try {
			render(await fetchCompression());
			setConnection(true);
		}
		catch (error) {
			setConnection(false, error.message);
		}
	}

	async function poll() {
		await refresh();
		window.setTimeout(poll, POLL_MILLIS);
	}

	// load buttons

	async function load(count) {
		const buttons = document.querySelectorAll('.actions button');
		buttons.forEach((button) => { button.disabled = true; });
		setMessage('load-message', 'Loading ' + formatCount(count) + ' products…');
		const started = performance.now();
		try {
			const response = await fetch('products/load?count=' + count, { method: 'POST' });
			const body = await response.json().catch(() => ({}));
			if (!response.ok) {
				throw new Error(body.error || ('HTTP ' + response.status));
			}
			const seconds = ((performance.now() - started) / 1000).toFixed(1);
			setMessage('load-message', 'Loaded ' + formatCount(body.loaded) + ' products ('
					+ formatBytes(body.bytes) + ' of JSON, written and cached) in ' + seconds + ' s.', 'ok');
		}
		catch (error) {
			setMessage('load-message', 'Loading failed: ' + error.message, 'error');
		}
		finally {
			buttons.forEach((button) => { button.disabled = false; });
			refresh();
		}
	}

	// policy switcher

	function describeLevels() {
		const algorithm = byId('algorithm').value;
		const range = LEVELS[algorithm];
		setText('level-range', range
			? (range[0] === range[1]
				? algorithm + ' has no levels: use 0'
				: algorithm + ' levels: ' + range[0] + ' to ' + range[1] + ' (default ' + range[2] + ')')
			: '');
	}

	async function applyPolicy(event) {
		event.preventDefault();
		const apply = byId('apply');
		const algorithm = byId('algorithm').value;
		const levelText = byId('level').value.trim();
		const change = { algorithm };
		if (levelText !== '') {
			change.level = Number(levelText);
		}
		const knownRefusal = latest && latest.lastRefused ? latest.lastRefused.refusedAt : null;
		apply.disabled = true;
		setMessage('policy-message', 'Applying…');
		try {
			const response = await fetch(ENDPOINT, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
				body: JSON.stringify(change),
			});
			if (response.ok) {
				const data = await response.json();
				formTouched = false;
				render(data);
				setMessage('policy-message', 'Applied: policy version ' + data.policy.version + ' is '
						+ data.policy.algorithm + ' level ' + data.policy.level + '.', 'ok');
				return;
			}
			setMessage('policy-message', await refusal(response, knownRefusal), 'error');
		}
		catch (error) {
			setMessage('policy-message', 'Could not apply the change: ' + error.message, 'error');
		}
		finally {
			apply.disabled = false;
		}
	}

	async function refusal(response, knownRefusal) {
		if (response.status === 404 || response.status === 405) {
			return 'Refused (' + response.status + '): the endpoint has no write operation; set '
					+ 'management.endpoint.compression.access=unrestricted.';
		}
		const body = await response.json().catch(() => ({}));
		// the endpoint answers a refused change with its reason; other errors may not carry one
		let reason = body.reason || body.message;
		// show the refusal where the endpoint recorded it too, without waiting for the next poll
		try {
			const data = await fetchCompression();
			render(data);
			if (!reason && data.lastRefused && data.lastRefused.refusedAt !== knownRefusal) {
				reason = data.lastRefused.reason;
			}
		}
		catch (error) {
			// keep the reason of the answer
		}
		const text = 'Refused (' + response.status + '): ' + (reason || body.error || 'invalid change');
		return text.endsWith('.') ? text : text + '.';
	}

	function start() {
		document.querySelectorAll('.actions button').forEach((button) => {
			button.addEventListener('click', () => load(Number(button.dataset.count)));
		});
		byId('algorithm').addEventListener('change', () => {
			formTouched = true;
			const range = LEVELS[byId('algorithm').value];
			if (range) {
				byId('level').value = String(range[2]);
			}
			describeLevels();
		});
		byId('level').addEventListener('input', () => { formTouched = true; });
		byId('policy-form').addEventListener('submit', applyPolicy);
		let resizeTimer = 0;
		window.addEventListener('resize', () => {
			window.clearTimeout(resizeTimer);
			resizeTimer = window.setTimeout(drawCharts, 100);
		});
		describeLevels();
		poll();
	}

	start();
}());
