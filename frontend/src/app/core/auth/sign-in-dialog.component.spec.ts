import { TestBed } from '@angular/core/testing';
import { ApiCallError } from '../api/api-error';
import { FakeLabApi, fakeLabApi, provideFakeLabApi, settle } from '../../../testing/fake-lab-api';
import { OperatorSession } from './operator-session';
import { SignInDialogComponent } from './sign-in-dialog.component';

describe('SignInDialogComponent', () => {
  let api: FakeLabApi;

  beforeEach(() => {
    sessionStorage.clear();
    api = fakeLabApi();
    TestBed.configureTestingModule({ providers: [provideFakeLabApi(api)] });
  });

  async function open() {
    const fixture = TestBed.createComponent(SignInDialogComponent);
    const session = TestBed.inject(OperatorSession);
    const outcome = session.requestSignIn('Applying a scenario is for the operator.');
    await settle(fixture);
    const element: HTMLElement = fixture.nativeElement;
    const password = element.querySelector<HTMLInputElement>('input[name=password]')!;
    const submit = async (value: string) => {
      password.value = value;
      password.dispatchEvent(new Event('input'));
      await settle(fixture);
      element.querySelector('form')!.dispatchEvent(new Event('submit'));
      await settle(fixture);
    };
    return { fixture, element, session, outcome, submit };
  }

  it('opens on a prompt with its reason and signs in with labelled fields', async () => {
    api.issueToken.mockResolvedValue({ access_token: 't', token_type: 'bearer', expires_in: 600, role: 'operator' });
    const { element, session, outcome, submit } = await open();
    const dialog = element.querySelector('dialog')!;
    expect(dialog.open).toBe(true);
    expect(dialog.textContent).toContain('Applying a scenario is for the operator.');
    expect(element.querySelector('label input[name=username]')).not.toBeNull();
    await submit('secret');
    expect(api.issueToken).toHaveBeenCalledWith({ username: 'operator', password: 'secret' });
    await expect(outcome).resolves.toBe(true);
    expect(session.signedIn()).toBe(true);
    expect(dialog.open).toBe(false);
  });

  it('stays open and says so on a wrong password; cancel resolves the prompt with false', async () => {
    api.issueToken.mockRejectedValue(new ApiCallError({ status: 401, messages: ['Unauthorized'], fieldErrors: {} }));
    const { fixture, element, outcome, submit } = await open();
    await submit('wrong');
    expect(element.querySelector('[role=alert]')?.textContent).toContain('Wrong user name or password.');
    expect(element.querySelector('dialog')!.open).toBe(true);
    [...element.querySelectorAll('button')].find((button) => button.textContent?.trim() === 'Cancel')!.click();
    await settle(fixture);
    await expect(outcome).resolves.toBe(false);
    expect(element.querySelector('dialog')!.open).toBe(false);
  });
});
