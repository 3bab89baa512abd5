// A certified OpenID provider (npm's oidc-provider) on 127.0.0.1 for the single sign-on tests.
//
//   node provider.js   with, in the environment:
//     OIDC_PORT           the port to listen on (127.0.0.1 only)
//     OIDC_USERS_FILE     a JSON file of test users, read again at every sign-in, so a test
//                         can move someone between groups or disable them:
//                         {"alice": {"password": "…", "sub": "…", "oid": "…", "email": "…",
//                                    "name": "…", "given_name": "…", "family_name": "…",
//                                    "groups": ["…"], "roles": ["…"], "disabled": false}}
//     OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URI, OIDC_POST_LOGOUT_REDIRECT_URI
//
// Its own login page checks the user's password; consent is given for them (the
// application is the council's own). Every claim goes in the ID token as well as userinfo,
// as Entra ID sends groups and roles in the ID token. Sign-out (end_session) is on.
import { generateKeyPair, exportJWK } from 'jose';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

const port = Number(process.env.OIDC_PORT || 0);
const issuer = `http://127.0.0.1:${port}`;
const usersFile = process.env.OIDC_USERS_FILE;

function users() {
  return JSON.parse(readFileSync(usersFile, 'utf8'));
}

function findUser(login) {
  const all = users();
  return Object.prototype.hasOwnProperty.call(all, login) ? all[login] : undefined;
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function loginPage(uid, message) {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Council sign-in</title></head>
<body><h1>Council sign-in</h1>
${message ? `<p id="error">${escapeHtml(message)}</p>` : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
<label for="login">Username</label> <input id="login" name="login" autocomplete="username">
<label for="password">Password</label> <input id="password" name="password" type="password">
<button type="submit">Sign in to the council</button>
</form></body></html>`;
}

function readForm(req) {
  return new Promise((resolve, reject) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
      if (body.length > 10000) reject(new Error('too long'));
    });
    req.on('end', () => resolve(new URLSearchParams(body)));
  });
}

const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const jwk = { ...(await exportJWK(privateKey)), kid: 'test-key-1', alg: 'RS256', use: 'sig' };

const provider = new Provider(issuer, {
  clients: [{
    client_id: process.env.OIDC_CLIENT_ID,
    client_secret: process.env.OIDC_CLIENT_SECRET,
    redirect_uris: [process.env.OIDC_REDIRECT_URI],
    post_logout_redirect_uris: [process.env.OIDC_POST_LOGOUT_REDIRECT_URI],
    token_endpoint_auth_method: 'client_secret_post',
    grant_types: ['authorization_code'],
    response_types: ['code'],
  }],
  jwks: { keys: [jwk] },
  cookies: { keys: ['test-only-cookie-key'] },
  claims: {
    openid: ['sub', 'oid', 'groups', 'roles'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name'],
  },
  conformIdTokenClaims: false,
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      async logoutSource(ctx, form) {
        ctx.body = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Council sign-out</title></head>
<body><h1>Sign out of the council account?</h1>${form}
<button type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button></body></html>`;
      },
    },
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  pkce: { required: () => true },
  ttl: { IdToken: 3600, AccessToken: 3600, Session: 3600, Interaction: 600, Grant: 3600 },
  async findAccount(ctx, id) {
    const user = findUser(id);
    if (!user || user.disabled) return undefined;
    return {
      accountId: id,
      async claims() {
        return {
          sub: user.sub || id,
          ...(user.oid ? { oid: user.oid } : {}),
          email: user.email,
          email_verified: true,
          name: user.name,
          given_name: user.given_name,
          family_name: user.family_name,
          groups: user.groups || [],
          roles: user.roles || [],
        };
      },
    };
  },
  // The council's own application: consent is given on the person's behalf.
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid email profile');
    grant.addOIDCClaims(['oid', 'groups', 'roles']);
    await grant.save();
    return grant;
  },
});
provider.proxy = false;
const callback = provider.callback();

const server = createServer(async (req, res) => {
  const match = /^\/interaction\/([^/]+)(\/login)?$/.exec(req.url.split('?')[0]);
  if (!match) {
    callback(req, res);
    return;
  }
  try {
    const details = await provider.interactionDetails(req, res);
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(loginPage(details.uid));
      return;
    }
    const form = await readForm(req);
    const login = form.get('login') || '';
    const user = findUser(login);
    if (!user || user.password !== form.get('password')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(loginPage(details.uid, 'Wrong username or password.'));
      return;
    }
    if (user.disabled) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(loginPage(details.uid, 'This account is disabled.'));
      return;
    }
    await provider.interactionFinished(req, res, { login: { accountId: login } }, { mergeWithLastSubmission: false });
  } catch (error) {
    res.writeHead(400, { 'content-type': 'text/plain' });
    res.end(`Sign-in failed: ${error.message}`);
  }
});

server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`listening ${issuer}\n`);
});
