import { Type } from 'typebox';

// Request and response shapes of the marketing contact routes. Names and e-mail addresses appear only in
// the operator's contact list (ContactView); nothing public ever echoes one back.

export const Purpose = Type.Union(
  [Type.Literal('demo_booking'), Type.Literal('contact_reply'), Type.Literal('newsletter')],
  { description: 'What the person agreed to be e-mailed about' },
);

export const FormName = Type.Union([Type.Literal('contact_page'), Type.Literal('newsletter_page')], {
  description: 'Which public form (recorded as the source of each consent)',
});

export const FormParams = Type.Object({ form: FormName });

export const FormWording = Type.Object({
  form: FormName,
  title: Type.String(),
  consents: Type.Array(
    Type.Object({
      purpose: Purpose,
      title: Type.String(),
      version: Type.String({ description: 'Send this back with the consent: it names the exact wording' }),
      text: Type.String({ description: 'The wording to show beside an unticked box' }),
    }),
  ),
});

export const ContactBody = Type.Object({
  form: FormName,
  name: Type.String({ minLength: 1, maxLength: 200 }),
  email: Type.String({ minLength: 3, maxLength: 254 }),
  message: Type.Optional(Type.String({ maxLength: 2000 })),
  consents: Type.Array(
    Type.Object({
      purpose: Purpose,
      version: Type.String({ minLength: 1, maxLength: 60, description: 'The wording version shown' }),
    }),
    { maxItems: 3, description: 'Only the boxes the person ticked' },
  ),
});

export const MessageResponse = Type.Object({ message: Type.String() });

const Token = Type.String({ minLength: 43, maxLength: 43, pattern: '^[A-Za-z0-9_-]+$' });

export const UnsubscribeQuery = Type.Object({ token: Token });

const Subscription = Type.Object({ purpose: Purpose, title: Type.String() });

export const UnsubscribeView = Type.Object({
  purpose: Purpose,
  title: Type.String({ description: 'What the e-mail with this link was about' }),
  subscriptions: Type.Array(Subscription, { description: 'Everything this person still hears about' }),
});

export const UnsubscribeBody = Type.Object({
  token: Token,
  purpose: Type.Union([Purpose, Type.Literal('all')], {
    description: 'One purpose, or all: the contact is deleted and the address suppressed',
  }),
});

export const UnsubscribeResult = Type.Object({
  message: Type.String(),
  subscriptions: Type.Array(Subscription),
});

export const ConsentView = Type.Object({
  purpose: Purpose,
  title: Type.String(),
  wordingVersion: Type.String(),
  source: Type.String(),
  grantedAt: Type.String({ format: 'date-time' }),
  withdrawnAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  withdrawnVia: Type.Union([Type.String(), Type.Null()]),
});

/** Personal data, for the platform operator only: be careful what is added here. */
export const ContactView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  email: Type.String(),
  message: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  consents: Type.Array(ConsentView),
});

export const ContactParams = Type.Object({ contactId: Type.String({ format: 'uuid' }) });
export const ConsentParams = Type.Object({ contactId: Type.String({ format: 'uuid' }), purpose: Purpose });

export const SuppressionBody = Type.Object({ email: Type.String({ minLength: 3, maxLength: 254 }) });

export const SuppressionView = Type.Object({
  reference: Type.String({ description: 'The first characters of the keyed hash: not the address' }),
  reason: Type.Union([Type.Literal('unsubscribed'), Type.Literal('erased'), Type.Literal('operator')]),
  createdAt: Type.String({ format: 'date-time' }),
});
