import { describe, expect, it } from 'vitest';
import { publicUrl } from '../../src/notify/public-url.js';
import { redactSecrets } from '../../src/notify/redact-secrets.js';

describe('publicUrl', () => {
  it("keeps SCIM's request parameters and Entra's flags exactly as spelled, and masks every other value", () => {
    expect(publicUrl('https://h.example/scim/Users?filter=userName%20eq%20%22a%22&count=1')).toBe(
      'https://h.example/scim/Users?filter=userName%20eq%20%22a%22&count=1',
    );
    expect(publicUrl('https://h.example/scim?AzureAdScimPatch2017&sig=abc%3D&code=')).toBe(
      'https://h.example/scim?AzureAdScimPatch2017&sig=REDACTED&code=REDACTED',
    );
  });

  it('drops the user, the password and the fragment', () => {
    expect(publicUrl('https://u:p@h.example:8443/scim/v2#x')).toBe('https://h.example:8443/scim/v2');
  });

  it('text that is not a URL keeps neither its authority user nor its query', () => {
    expect(publicUrl('https://u:p@bad host/scim?code=k')).toBe('https://bad host/scim');
  });
});

describe('redactSecrets', () => {
  it('masks a secret as given, URL-encoded and base64-encoded; empty secrets mask nothing', () => {
    const secret = 'a/b+c=d';
    const text = `raw ${secret} url ${encodeURIComponent(secret)} b64 ${Buffer.from(secret).toString('base64')}`;
    expect(redactSecrets(text, [secret, ''])).toBe('raw [REDACTED] url [REDACTED] b64 [REDACTED]');
    expect(redactSecrets('unchanged', [''])).toBe('unchanged');
  });
});
