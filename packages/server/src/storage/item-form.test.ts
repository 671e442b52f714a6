import { describe, expect, it } from 'vitest';
import { adminForm, fromAdminForm } from './item-form';

describe('adminForm', () => {
  it('keeps a "__proto__" member of stored JSON as a member, never as the prototype', () => {
    const data = JSON.parse('{"key":"f","on":true,"variations":[false,true],"__proto__":{"on":false}}');
    const form = adminForm({ kind: 'flag', key: 'f', name: 'F', data });
    expect(Object.getPrototypeOf(form)).toBe(Object.prototype);
    expect(form.on).toBe(true);
    expect(JSON.stringify(form)).toBe('{"key":"f","name":"F","on":true,"variations":[false,true],"__proto__":{"on":false}}');
    expect(JSON.stringify(fromAdminForm('flag', form).data)).toBe(JSON.stringify(data));
  });
});
