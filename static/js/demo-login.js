// Login page, demo mode: a "Use" button fills the login form with that demo account.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-demo-email]");
  if (!button) return;
  const form = document.getElementById("login-form");
  form.querySelector("[name=login]").value = button.dataset.demoEmail;
  form.querySelector("[name=password]").value = button.dataset.demoPassword;
  form.querySelector("[type=submit]").focus();
});
