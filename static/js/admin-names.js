// Names, for screen readers, of the controls Django's admin widgets leave unnamed: the
// autocomplete boxes (select2), the date and time pickers' icon links, the related record icons
// and the filtered multiple select's search icons. Each is named from its field's own <label>
// or its link's title.
// The widgets draw (and select2 redraws) after this file runs, so every change to the page is
// watched; naming only sets attributes and adds a hidden text once, so it settles at once.
'use strict';
{
    const labelOf = (field) => field && field.id ? document.querySelector(`label[for="${CSS.escape(field.id)}"]`) : null;

    const labelId = (label) => {
        if (!label.id) {
            label.id = `${label.htmlFor}-label`;
        }
        return label.id;
    };

    const labelText = (label) => label.textContent.trim().replace(/:$/, '');

    const nameAutocompletes = () => {
        document.querySelectorAll('select.admin-autocomplete + .select2').forEach((container) => {
            const label = labelOf(container.previousElementSibling);
            if (!label) {
                return;
            }
            const combobox = container.querySelector('.select2-selection');
            const rendered = container.querySelector('.select2-selection__rendered');
            if (combobox && rendered && container.querySelector('.select2-selection--single')) {
                // Read as the field's label, then its value; the value is text, not a text box.
                combobox.setAttribute('aria-labelledby', `${labelId(label)} ${rendered.id}`);
                rendered.removeAttribute('role');
                rendered.removeAttribute('aria-readonly');
            } else if (combobox) {
                combobox.setAttribute('aria-labelledby', labelId(label));
            }
            const search = container.querySelector('.select2-search__field');
            if (search) {
                search.setAttribute('aria-labelledby', labelId(label));
            }
            // The "remove all" cross (for the mouse; the keyboard clears with backspace) is no part
            // of the name; in a list of choices it sits outside the list, where only items belong.
            container.querySelectorAll('.select2-selection__clear:not([aria-hidden])').forEach((clear) => {
                clear.setAttribute('aria-hidden', 'true');
            });
            const clear = container.querySelector('ul.select2-selection__rendered > .select2-selection__clear');
            if (clear) {
                clear.parentNode.before(clear);
            }
        });
        // An open dropdown's search box, named by the field whose results it lists.
        document.querySelectorAll('.select2-dropdown .select2-search__field[aria-controls]').forEach((search) => {
            const match = /^select2-(.+)-results$/.exec(search.getAttribute('aria-controls'));
            const label = match && labelOf(document.getElementById(match[1]));
            if (label && search.getAttribute('aria-labelledby') !== labelId(label)) {
                search.setAttribute('aria-labelledby', labelId(label));
            }
        });
    };

    const namePickerLinks = () => {
        document.querySelectorAll('.datetimeshortcuts a[id^="calendarlink"], .datetimeshortcuts a[id^="clocklink"]').forEach((link) => {
            const icon = link.querySelector('.date-icon, .clock-icon');
            if (!icon || link.querySelector('.visually-hidden')) {
                return;
            }
            const label = labelOf(link.closest('.datetimeshortcuts').previousElementSibling);
            const text = document.createElement('span');
            text.className = 'visually-hidden';
            text.textContent = label ? `${icon.title} (${labelText(label)})` : icon.title;
            link.append(text);
        });
    };

    const nameRelatedLinks = () => {
        // The add, change, view and delete icons beside a related record: each icon's text is its
        // link's title. (Widget templates are Django's own, so the name is given here.)
        document.querySelectorAll('a.related-widget-wrapper-link[title] > img[alt=""]').forEach((icon) => {
            icon.alt = icon.parentNode.title;
        });
    };

    const nameSearchIcons = () => {
        // An element named by aria-label needs a role that may be named: an image.
        document.querySelectorAll('.search-label-icon[aria-label]:not([role])').forEach((icon) => {
            icon.setAttribute('role', 'img');
        });
    };

    const nameAll = () => {
        nameAutocompletes();
        namePickerLinks();
        nameRelatedLinks();
        nameSearchIcons();
    };

    new MutationObserver(nameAll).observe(document.documentElement, {childList: true, subtree: true});
    document.addEventListener('DOMContentLoaded', nameAll);
    window.addEventListener('load', nameAll);
}
