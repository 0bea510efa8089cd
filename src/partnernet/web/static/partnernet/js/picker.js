/*
 * Partnernet picker: an accessible autocomplete for entities, partners, regions, types and themes.
 *
 * Without this file a picker is a plain text field: people type a name, key or code (several separated by
 * ";") and the server resolves it. With it, the field becomes an editable combobox with a list popup
 * (WAI-ARIA Authoring Practices, "Editable Combobox With List Autocomplete"):
 *
 *   <div class="pn-picker" data-pn-picker data-source="/pick/entities/" [data-multiple data-chosen="[…]"]
 *        [data-key="KEY"]><input type="text" name="lead" id="id_lead" …></div>
 *
 * - typing asks the server for matches (htmx GET /pick/<source>/?q=…&for=<listbox id>), which answers
 *   <li role="option" data-value="KEY" data-label="NAME"> items for the listbox;
 * - Down / Up move through the options (aria-activedescendant), Enter or a click picks one, Escape closes the
 *   list (a second Escape clears the text), Tab leaves; a status region announces the number of matches;
 * - one value: the key of the picked option is submitted under the field's name, and whatever is typed and
 *   not picked is submitted as text (the server resolves it or says what is wrong next to the field);
 * - several values: each pick becomes a chip with a remove button and a hidden input.
 */
(function () {
	'use strict';

	var counter = 0;
	var DELAY = 180;

	function text(key, fallback) {
		var strings = document.getElementById('pn-picker-strings');
		if (!strings) {
			return fallback;
		}
		return strings.getAttribute('data-' + key) || fallback;
	}

	function request(url, target, done) {
		if (window.htmx && window.htmx.ajax) {
			window.htmx.ajax('GET', url, { target: target, swap: 'innerHTML' }).then(done, done);
			return;
		}
		window.fetch(url, { credentials: 'same-origin' }).then(function (r) { return r.text(); }).then(function (html) {
			target.innerHTML = html;
			done();
		}, done);
	}

	function Picker(root) {
		var input = root.querySelector('input[type=text]');
		if (!input) {
			return;
		}
		counter += 1;
		var id = input.id || ('pn-picker-' + counter);
		var listId = id + '-listbox';
		var multiple = root.hasAttribute('data-multiple');
		var name = input.getAttribute('name');
		var label = document.querySelector('label[for="' + id + '"]');
		var timer = null;
		var active = -1;
		var asked = '';

		var list = document.createElement('ul');
		list.id = listId;
		list.className = 'pn-picker-list';
		list.setAttribute('role', 'listbox');
		if (label) {
			if (!label.id) {
				label.id = id + '-label';
			}
			list.setAttribute('aria-labelledby', label.id);
		}
		list.hidden = true;

		var status = document.createElement('div');
		status.className = 'pn-visually-hidden';
		status.setAttribute('role', 'status');

		input.setAttribute('role', 'combobox');
		input.setAttribute('aria-autocomplete', 'list');
		input.setAttribute('aria-expanded', 'false');
		input.setAttribute('aria-controls', listId);
		input.setAttribute('autocomplete', 'off');
		input.removeAttribute('name');

		var hidden = null;
		var chips = null;
		if (multiple) {
			chips = document.createElement('ul');
			chips.className = 'pn-picker-chosen';
			chips.setAttribute('aria-label', (label ? label.textContent.trim() + ': ' : '') + text('chosen', 'chosen'));
			root.insertBefore(chips, input);
			var chosen = [];
			try {
				chosen = JSON.parse(root.getAttribute('data-chosen') || '[]');
			} catch (e) {
				chosen = [];
			}
			var typed = input.value.split(';').map(function (s) { return s.trim(); }).filter(Boolean);
			chosen.forEach(function (item) { addChip(item.key, item.label, false); });
			/* Text typed before (not matching any chosen option) stays in the field to be corrected. */
			var labels = chosen.map(function (item) { return item.label; });
			input.value = typed.filter(function (t) { return labels.indexOf(t) === -1; }).join('; ');
		} else {
			hidden = document.createElement('input');
			hidden.type = 'hidden';
			hidden.name = name;
			hidden.value = root.getAttribute('data-key') || input.value;
			root.appendChild(hidden);
		}
		root.appendChild(list);
		root.appendChild(status);
		root.classList.add('pn-picker-ready');

		function options() {
			return Array.prototype.slice.call(list.querySelectorAll('[role=option]'));
		}

		function open() {
			list.hidden = false;
			input.setAttribute('aria-expanded', 'true');
		}

		function close() {
			list.hidden = true;
			input.setAttribute('aria-expanded', 'false');
			input.removeAttribute('aria-activedescendant');
			active = -1;
		}

		function highlight(index) {
			var all = options();
			all.forEach(function (option, i) {
				option.setAttribute('aria-selected', i === index ? 'true' : 'false');
			});
			active = index;
			if (index >= 0 && all[index]) {
				input.setAttribute('aria-activedescendant', all[index].id);
				all[index].scrollIntoView({ block: 'nearest' });
			} else {
				input.removeAttribute('aria-activedescendant');
			}
		}

		function search(then) {
			var query = input.value;
			asked = query;
			var url = root.getAttribute('data-source') + '?for=' + encodeURIComponent(listId) +
				'&q=' + encodeURIComponent(query);
			request(url, list, function () {
				if (asked !== query) {
					return;
				}
				var count = options().length;
				open();
				highlight(-1);
				status.textContent = count === 1 ? text('one', '1 result') : text('many', '__N__ results').replace('__N__', count);
				if (then) {
					then();
				}
			});
		}

		function addChip(key, name_, announce) {
			if (chips.querySelector('input[value="' + CSS.escape(key) + '"]')) {
				return;
			}
			var item = document.createElement('li');
			item.className = 'pn-chip';
			var span = document.createElement('bdi');
			span.setAttribute('dir', 'auto');
			span.textContent = name_;
			var remove = document.createElement('button');
			remove.type = 'button';
			remove.className = 'pn-chip-remove';
			remove.setAttribute('aria-label', text('remove', 'Remove __NAME__').replace('__NAME__', name_));
			remove.textContent = '×';
			remove.addEventListener('click', function () {
				item.remove();
				status.textContent = text('removed', '__NAME__ removed').replace('__NAME__', name_);
				input.focus();
			});
			var value = document.createElement('input');
			value.type = 'hidden';
			value.name = name;
			value.value = key;
			item.appendChild(span);
			item.appendChild(remove);
			item.appendChild(value);
			chips.appendChild(item);
			if (announce) {
				status.textContent = text('added', '__NAME__ added').replace('__NAME__', name_);
			}
		}

		function pick(option) {
			if (!option || option.getAttribute('aria-disabled') === 'true') {
				return;
			}
			var key = option.getAttribute('data-value');
			var name_ = option.getAttribute('data-label');
			var changed;
			if (multiple) {
				addChip(key, name_, true);
				input.value = '';
				changed = chips.lastElementChild.querySelector('input[type=hidden]');
			} else {
				input.value = name_;
				hidden.value = key;
				changed = hidden;
			}
			close();
			/* A filter form with data-pn-autosubmit applies the pick at once. */
			changed.dispatchEvent(new Event('change', { bubbles: true }));
		}

		input.addEventListener('input', function () {
			if (hidden) {
				hidden.value = input.value;
			}
			window.clearTimeout(timer);
			timer = window.setTimeout(search, DELAY);
		});
		input.addEventListener('keydown', function (event) {
			var all = options();
			switch (event.key) {
			case 'ArrowDown':
				event.preventDefault();
				if (list.hidden) {
					search(function () { highlight(options().length ? 0 : -1); });
				} else if (all.length) {
					highlight(active + 1 >= all.length ? 0 : active + 1);
				}
				break;
			case 'ArrowUp':
				event.preventDefault();
				if (!list.hidden && all.length) {
					highlight(active <= 0 ? all.length - 1 : active - 1);
				}
				break;
			case 'Enter':
				if (!list.hidden && active >= 0) {
					event.preventDefault();
					pick(all[active]);
				}
				break;
			case 'Escape':
				window.clearTimeout(timer);
				asked = null; /* an answer still on its way is not shown */
				if (!list.hidden) {
					event.preventDefault();
					close();
				} else if (input.value) {
					event.preventDefault();
					input.value = '';
					if (hidden) {
						hidden.value = '';
					}
				}
				break;
			case 'Tab':
				close();
				break;
			case 'Backspace':
				if (multiple && !input.value && chips.lastElementChild) {
					chips.lastElementChild.querySelector('button').focus();
				}
				break;
			}
		});
		input.addEventListener('blur', function () {
			window.setTimeout(function () {
				if (document.activeElement !== input) {
					close();
				}
			}, 150);
		});
		list.addEventListener('mousedown', function (event) {
			event.preventDefault(); /* keep the focus in the field */
		});
		list.addEventListener('click', function (event) {
			var option = event.target.closest('[role=option]');
			pick(option);
			input.focus();
		});
	}

	function init(root) {
		var found = Array.prototype.slice.call(root.querySelectorAll ? root.querySelectorAll('[data-pn-picker]') : []);
		found.forEach(function (el) {
			if (el.dataset.pnPickerReady === 'done') {
				return;
			}
			el.dataset.pnPickerReady = 'done';
			Picker(el);
		});
	}

	if (document.readyState === 'loading') {
		document.addEventListener('DOMContentLoaded', function () { init(document); });
	} else {
		init(document);
	}
	document.addEventListener('htmx:load', function (event) { init(event.target); });
}());
