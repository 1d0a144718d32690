import { problemFor, SelectField, TextField, type FormProblem } from '../../components/form.tsx';
import { optionsOf, RELATIONSHIP_NAMES } from './api.ts';

/** The ids the requester's three fields take in a form (forms on one page need their own). */
export interface RequesterFieldIds {
  name: string;
  contact: string;
  relationship: string;
}

/** Who made a request: name, how to reach them, and how they relate to the subject. */
export function RequesterFields({
  ids,
  problems,
  contactHint,
}: {
  ids: RequesterFieldIds;
  problems: FormProblem[];
  contactHint: string;
}) {
  return (
    <>
      <TextField id={ids.name} label="Their name" autoComplete="off" error={problemFor(problems, ids.name)} />
      <TextField
        id={ids.contact}
        label="How to reach them"
        hint={contactHint}
        autoComplete="off"
        error={problemFor(problems, ids.contact)}
      />
      <SelectField
        id={ids.relationship}
        label="Who they are"
        options={optionsOf(RELATIONSHIP_NAMES)}
        defaultValue="parent"
        error={problemFor(problems, ids.relationship)}
      />
    </>
  );
}
