/*
 * Partnernet progressive enhancement. Every page works without this file; it only adds comfort.
 * No inline scripts are allowed (Content-Security-Policy), so all page behaviour lives here and is
 * switched on by data attributes:
 *
 *   <form data-pn-autosubmit>            submit the form when one of its controls changes (filters, sort)
 *   <form data-pn-confirm="Sure?">        ask before submitting (also on a <button> or <a>)
 *   <canvas data-pn-chart="ID">           draw a Chart.js chart; ID is a {{ config|json_script:"ID" }} element
 *                                         holding {type, data, options}; needs vendor/chart.js loaded first
 *   <div class="pn-graph" data-pn-graph="ID">  draw a Cytoscape graph; ID's JSON holds {elements, layout?};
 *                                         needs vendor/cytoscape loaded first
 *
 * Load with <script src="…/partnernet.js" defer></script> after htmx and the chart/graph libraries.
 * Content swapped in by htmx is enhanced too (htmx:load).
 */
(function () {
	'use strict';

	document.documentElement.classList.add('pn-js');

	function token(name, fallback) {
		var value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
		return value || fallback;
	}

	function readJSON(id) {
		var el = document.getElementById(id);
		if (!el) {
			return null;
		}
		try {
			return JSON.parse(el.textContent);
		} catch (e) {
			console.error('partnernet: bad JSON in #' + id, e);
			return null;
		}
	}

	function once(el, key) {
		if (el.dataset[key] === 'done') {
			return false;
		}
		el.dataset[key] = 'done';
		return true;
	}

	function inScope(root, selector) {
		var found = Array.prototype.slice.call(root.querySelectorAll ? root.querySelectorAll(selector) : []);
		if (root.matches && root.matches(selector)) {
			found.unshift(root);
		}
		return found;
	}

	/* Auto-submit: requestSubmit() fires the submit event, so htmx (hx-get on the form) handles it too. */
	/* Text fields are left alone: they submit with Enter, not on every blur. */
	var TEXTLIKE = /^(text|search|email|url|tel|number|password)$/;
	document.addEventListener('change', function (event) {
		var target = event.target;
		var form = target.form || (target.closest && target.closest('form'));
		if (target.tagName === 'TEXTAREA' || (target.tagName === 'INPUT' && TEXTLIKE.test(target.type))) {
			return;
		}
		if (form && form.hasAttribute('data-pn-autosubmit')) {
			if (form.requestSubmit) {
				form.requestSubmit();
			} else {
				form.submit();
			}
		}
	});

	/* Confirmation before destructive actions (htmx requests use hx-confirm instead). */
	document.addEventListener('submit', function (event) {
		var form = event.target;
		var message = form.getAttribute('data-pn-confirm');
		var submitter = event.submitter;
		if (submitter && submitter.hasAttribute('data-pn-confirm')) {
			message = submitter.getAttribute('data-pn-confirm');
		}
		if (message && !window.confirm(message)) {
			event.preventDefault();
			event.stopImmediatePropagation();
		}
	}, true);
	document.addEventListener('click', function (event) {
		var link = event.target.closest && event.target.closest('a[data-pn-confirm]');
		if (link && !window.confirm(link.getAttribute('data-pn-confirm'))) {
			event.preventDefault();
		}
	});

	/* Colours for data series: Codex "option" colours, read from the tokens so dark mode follows. */
	function palette() {
		return ['blue', 'green', 'orange', 'purple', 'red', 'pink', 'yellow', 'lime', 'maroon'].map(function (name) {
			return token('--border-color-option-' + name, '#72777d');
		});
	}

	function initCharts(root) {
		if (typeof window.Chart === 'undefined') {
			return;
		}
		var Chart = window.Chart;
		Chart.defaults.font.family = token('--font-family-system-sans', 'sans-serif');
		Chart.defaults.color = token('--color-subtle', '#54595d');
		Chart.defaults.borderColor = token('--border-color-muted', '#dadde3');
		inScope(root, 'canvas[data-pn-chart]').forEach(function (canvas) {
			if (!once(canvas, 'pnChartReady')) {
				return;
			}
			var config = readJSON(canvas.getAttribute('data-pn-chart'));
			if (!config) {
				return;
			}
			var colours = palette();
			((config.data && config.data.datasets) || []).forEach(function (dataset, i) {
				var colour = colours[i % colours.length];
				if (dataset.borderColor === undefined) {
					dataset.borderColor = colour;
				}
				if (dataset.backgroundColor === undefined) {
					dataset.backgroundColor = colour;
				}
			});
			config.options = config.options || {};
			if (config.options.maintainAspectRatio === undefined) {
				config.options.maintainAspectRatio = false; /* the .pn-chart parent sets the height */
			}
			if (getComputedStyle(canvas).direction === 'rtl') {
				config.options.plugins = config.options.plugins || {};
				['legend', 'tooltip'].forEach(function (name) {
					var plugin = config.options.plugins[name] = config.options.plugins[name] || {};
					if (plugin.rtl === undefined) {
						plugin.rtl = true;
					}
				});
			}
			if (window.matchMedia('(prefers-reduced-motion: reduce)').matches) {
				config.options.animation = false;
			}
			new Chart(canvas, config);
		});
	}

	/*
	 * Network graph. Node data: {id, label, url?, weight?}; node classes (space-separated string in the
	 * element's "classes"): "over" (over capacity), "hub", "foreign", "group-N" (colour N of the palette,
	 * N = 0…8, e.g. the node's world region). Edge data: {source, target, weight?}.
	 * Clicking or tapping a node with a url opens it.
	 */
	/*
	 * Cytoscape adds an inline <style> (position: relative for its container) unless an element with its
	 * id exists; CSP blocks inline styles, so we place that marker and .pn-graph sets position: relative.
	 */
	function preventCytoscapeInlineStyle() {
		var id = '__________cytoscape_stylesheet';
		if (!document.getElementById(id)) {
			var marker = document.createElement('meta');
			marker.id = id;
			marker.name = 'pn-cytoscape-style-in-partnernet-css';
			document.head.appendChild(marker);
		}
	}

	/* Node classes group-0 … group-8 (e.g. world regions) take the palette colours in order. */
	function groupStyles() {
		return palette().map(function (colour, i) {
			return { selector: 'node.group-' + i, style: { 'background-color': colour } };
		});
	}

	function initGraphs(root) {
		if (typeof window.cytoscape === 'undefined') {
			return;
		}
		inScope(root, '[data-pn-graph]').forEach(function (container) {
			if (!once(container, 'pnGraphReady')) {
				return;
			}
			var spec = readJSON(container.getAttribute('data-pn-graph'));
			if (!spec) {
				return;
			}
			preventCytoscapeInlineStyle();
			var cy = window.cytoscape({
				container: container,
				elements: spec.elements || [],
				layout: spec.layout || { name: 'cose', animate: false, nodeDimensionsIncludeLabels: true },
				style: [
					{ selector: 'node', style: {
						'background-color': token('--background-color-progressive', '#36c'),
						'border-width': 1,
						'border-color': token('--border-color-inverted', '#fff'),
						'label': 'data(label)',
						'color': token('--color-base', '#202122'),
						'font-family': token('--font-family-system-sans', 'sans-serif').replace(/'/g, '"'),
						'font-size': 11,
						'text-valign': 'bottom',
						'text-margin-y': 4,
						'text-background-color': token('--background-color-base', '#fff'),
						'text-background-opacity': 0.8,
						'width': 'mapData(weight, 0, 20, 14, 48)',
						'height': 'mapData(weight, 0, 20, 14, 48)'
					} },
					{ selector: 'node[!weight]', style: { 'width': 18, 'height': 18 } }
				].concat(groupStyles(), [
					{ selector: 'node.hub', style: { 'shape': 'diamond' } },
					{ selector: 'node.foreign', style: { 'background-color': token('--border-color-option-purple', '#8d7ebd') } },
					{ selector: 'node.over', style: {
						'border-width': 3,
						'border-style': 'double',
						'border-color': token('--color-error', '#bf3c2c')
					} },
					{ selector: 'node:selected', style: { 'border-width': 3, 'border-color': token('--border-color-progressive--focus', '#36c') } },
					{ selector: 'edge', style: {
						'line-color': token('--border-color-base', '#a2a9b1'),
						'width': 'mapData(weight, 1, 10, 1, 6)',
						'curve-style': 'haystack',
						'opacity': 0.8
					} },
					{ selector: 'edge[!weight]', style: { 'width': 1 } }
				])
			});
			cy.on('tap', 'node', function (event) {
				var url = event.target.data('url');
				if (url) {
					window.location.assign(url);
				}
			});
			container.pnCytoscape = cy; /* for tests and page-specific code */
		});
	}

	function enhance(root) {
		initCharts(root);
		initGraphs(root);
	}

	if (document.readyState === 'loading') {
		document.addEventListener('DOMContentLoaded', function () { enhance(document); });
	} else {
		enhance(document);
	}
	/* htmx fires htmx:load on every piece of content it swaps in. */
	document.addEventListener('htmx:load', function (event) { enhance(event.target); });
}());
