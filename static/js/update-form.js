// The quarterly update form, with JavaScript: asks only what the chosen status and rating
// need, and copies last quarter's next steps into this quarter's progress in one click.
//
// Without this file every field shows, each hint saying when it is needed, and the server
// applies the same rules (reporting/forms.py, reporting/services.py).

const form = document.querySelector('.app-update-form')

// <div class="app-reveal" data-reveal-field="status" data-reveal-values="on_hold cancelled">
// shows while one of those values of the radios named "status" is chosen.
function syncReveals () {
  form.querySelectorAll('.app-reveal').forEach((group) => {
    const chosen = form.querySelector(`input[name="${group.dataset.revealField}"]:checked`)
    const shown = Boolean(chosen) && group.dataset.revealValues.split(' ').includes(chosen.value)
    group.classList.toggle('app-reveal--hidden', !shown)
  })
}

if (form) {
  form.addEventListener('change', (event) => {
    if (event.target.type === 'radio') syncReveals()
  })
  // The browser may restore choices when the page is shown again from its history.
  window.addEventListener('pageshow', syncReveals)
  syncReveals()
}

document.querySelectorAll('.app-copy-next-steps').forEach((button) => {
  const target = document.getElementById(button.dataset.copyTo)
  if (!target) return
  button.hidden = false
  button.addEventListener('click', () => {
    const words = button.dataset.copyText
    if (!target.value.includes(words)) {
      target.value = target.value.trim() ? `${target.value.trimEnd()}\n\n${words}` : words
    }
    // The GOV.UK character count listens for input.
    target.dispatchEvent(new Event('input', { bubbles: true }))
    target.focus()
  })
})
