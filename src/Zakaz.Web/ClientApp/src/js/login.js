// The server sends a failed login back to /login?error=1 (with the same ?return=).
document.getElementById('login-error').hidden = !new URLSearchParams(location.search).has('error');
