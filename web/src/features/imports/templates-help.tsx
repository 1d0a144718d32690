import { QueryView } from '../../components/status.tsx';
import { useTemplates, type Templates } from './imports-api.ts';
import { fieldLabel, LAYOUT_DESCRIPTIONS } from './imports-text.tsx';
import { TableRegion } from './table-region.tsx';

const csvHref = (headers: string[]) =>
  `data:text/csv;charset=utf-8,${encodeURIComponent(`${headers.join(',')}\r\n`)}`;

function TemplateTable({ template }: { template: Templates[number] }) {
  const layout = template.template;
  const title =
    layout === 'pupils' || layout === 'results' || layout === 'marksheet'
      ? LAYOUT_DESCRIPTIONS[layout]
      : layout;
  return (
    <TableRegion label={title}>
      <table className="table">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">Haven field</th>
            <th scope="col">Column headings Haven recognises</th>
          </tr>
        </thead>
        <tbody>
          {template.fields.map((field) => (
            <tr key={field.field}>
              <th scope="row">
                {fieldLabel(field.field)}
                {field.identifier ? (
                  <span className="hint import-templates__identifier">Identifier: kept encrypted</span>
                ) : null}
              </th>
              <td>
                {[
                  ...new Set([field.field, ...field.headers].map((header) => header.replaceAll('_', ' '))),
                ].join(', ')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableRegion>
  );
}

/** The layouts Haven reads, their recognised headings, and blank templates to fill in. */
export function TemplatesHelp() {
  const templates = useTemplates();
  return (
    <details className="import-templates">
      <summary>The columns Haven reads, and blank templates</summary>
      <QueryView query={templates} what="the import templates">
        {(list) => (
          <>
            <p>
              Column headings are matched whatever their case or punctuation. A column Haven does not
              recognise is not read, unless you match it to a field in the next step.
            </p>
            <ul className="download-links">
              {list
                .filter((template) => template.template !== 'marksheet')
                .map((template) => (
                  <li key={template.template}>
                    <a
                      href={csvHref(template.fields.map((field) => field.field))}
                      download={`haven-${template.template}-template.csv`}
                    >
                      Download the blank {template.template} template (CSV)
                    </a>
                  </li>
                ))}
            </ul>
            <p>
              A marksheet has a column per subject, named as your school names it (for example “English
              Language” or “Maths (Target)”), as well as the columns below.
            </p>
            {list.map((template) => (
              <TemplateTable key={template.template} template={template} />
            ))}
          </>
        )}
      </QueryView>
    </details>
  );
}
