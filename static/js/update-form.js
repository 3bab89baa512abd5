// The quarterly update form, with JavaScript: asks only what the chosen status needs, and
// copies last quarter's next steps into this quarter's progress in one click.
//
// Without this file every field shows, each hint saying when it is needed, and the server
// applies the same rules; GOV.UK Frontend reveals the completion date ("Complete") and the
// help needed from DMT ("Red") on its own (data-module="govuk-radios").

const form = document.querySelector('.app-update-form')

// Fields for some statuses only: <div class="app-update-form__for-status" data-statuses="on_hold cancelled">
function showFieldsForStatus () {
  const chosen = form.querySelector('input[name="status"]:checked')
  const status = chosen ? chosen.value : ''
  form.querySelectorAll('.app-update-form__for-status').forEach((group) => {
    group.hidden = !group.dataset.statuses.split(' ').includes(status)
  })
}

if (form) {
  form.querySelectorAll('input[name="status"]').forEach((radio) => {
    radio.addEventListener('change', showFieldsForStatus)
  })
  // The browser may restore a choice when the page is shown again from its history.
  window.addEventListener('pageshow', showFieldsForStatus)
  showFieldsForStatus()
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
