import { SaxesParser } from 'saxes';
import { decodedText, type ImportSource, type SourceFacts } from '../source.ts';
import { FileShapeError } from './rows.ts';

/** An element of a CTF pupil, as a small tree (one pupil at a time is held, never the whole file). */
export interface XmlElement {
  name: string;
  text: string;
  children: XmlElement[];
}

export interface CtfHeader {
  version: string | undefined;
  documentQualifier: string | undefined;
  dateTime: string | undefined;
  sourceUrn: string | undefined;
}

export interface CtfPupil {
  /** 1-based position among the file's pupils, for messages (…/Pupil[12]/…). */
  index: number;
  element: XmlElement;
}

export interface CtfFile {
  header: CtfHeader;
  pupils: AsyncIterable<CtfPupil>;
  /** Elements outside pupils that Haven does not read, by path, with how often they occurred. */
  ignored: Map<string, number>;
}

export function child(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return element?.children.find((entry) => entry.name === name);
}

export function childText(element: XmlElement | undefined, name: string): string | undefined {
  const found = child(element, name);
  const text = found?.text.trim();
  return text === undefined || text === '' ? undefined : text;
}

export function children(element: XmlElement | undefined, name: string): XmlElement[] {
  return element?.children.filter((entry) => entry.name === name) ?? [];
}

/**
 * Streams a Common Transfer File. A DTD is refused outright (it could declare external entities, which
 * must never be resolved); anything not well-formed is a FileShapeError naming the line.
 */
export async function readCtf(source: ImportSource, facts: SourceFacts): Promise<CtfFile> {
  const header: CtfHeader = {
    version: undefined,
    documentQualifier: undefined,
    dateTime: undefined,
    sourceUrn: undefined,
  };
  const ignored = new Map<string, number>();
  const chunks = decodedText(source, facts)[Symbol.asyncIterator]();
  const parser = new SaxesParser({ position: true });
  const stack: XmlElement[] = [];
  const ready: CtfPupil[] = [];
  let pupilCount = 0;
  let rootSeen = false;
  // Set by the parser's handlers while pump() feeds it.
  const state: { headerDone: boolean; failure: Error | undefined } = {
    headerDone: false,
    failure: undefined,
  };

  parser.on('doctype', () => {
    state.failure ??= new FileShapeError(
      'The file declares a DTD (<!DOCTYPE …>). CTF files have none, and Haven does not read them.',
      parser.line,
    );
  });
  parser.on('error', (error) => {
    state.failure ??= new FileShapeError(
      `The XML is not well-formed at line ${parser.line}: ${error.message.replace(/^.*?:\d+:\d+: /, '')}`,
      parser.line,
    );
  });
  parser.on('opentag', (tag) => {
    if (!rootSeen) {
      rootSeen = true;
      if (tag.name !== 'CTfile') {
        state.failure ??= new FileShapeError(
          `This XML file is not a CTF: its root element is <${tag.name}>, not <CTfile>.`,
        );
      }
    }
    stack.push({ name: tag.name, text: '', children: [] });
  });
  parser.on('text', (text) => {
    const top = stack.at(-1);
    if (top !== undefined && top.text.length < 10_000) {
      top.text += text;
    }
  });
  parser.on('closetag', () => {
    const element = stack.pop();
    if (element === undefined || stack.length === 0) {
      return;
    }
    const path = [...stack.map((entry) => entry.name), element.name].join('/');
    if (path === 'CTfile/CTFpupilData/Pupil') {
      pupilCount += 1;
      ready.push({ index: pupilCount, element });
      return;
    }
    if (path === 'CTfile/Header') {
      header.version = childText(element, 'CTFversion');
      header.documentQualifier = childText(element, 'DocumentQualifier');
      header.dateTime = childText(element, 'DateTime');
      header.sourceUrn = childText(child(element, 'SourceSchool'), 'URN');
      state.headerDone = true;
      return;
    }
    if (stack.length === 1 || (stack.length === 2 && stack[1]?.name === 'CTFpupilData')) {
      // Outside pupils and the header: counted for the report, not kept.
      if (path !== 'CTfile/CTFpupilData') {
        ignored.set(path, (ignored.get(path) ?? 0) + 1);
      }
      return;
    }
    // Inside a pupil or the header: children join their parent when they close.
    stack.at(-1)?.children.push(element);
  });

  async function pump(): Promise<boolean> {
    const next = await chunks.next();
    if (next.done === true) {
      parser.close();
      return false;
    }
    parser.write(next.value);
    return true;
  }

  // Read until the header has been seen (it comes first) so callers can check the source school.
  for (let more = true; more && !state.headerDone && ready.length === 0 && state.failure === undefined;) {
    more = await pump();
  }
  if (state.failure !== undefined) {
    throw state.failure;
  }
  if (!rootSeen) {
    throw new FileShapeError('The file has no XML elements.');
  }
  return {
    header,
    ignored,
    pupils: (async function* () {
      // Pupils parsed so far are handed out before more of the file is read; a failure stops the stream.
      let more = true;
      while (more || ready.length > 0) {
        const pupil = ready.shift();
        if (pupil !== undefined) {
          yield pupil;
          continue;
        }
        if (state.failure !== undefined) {
          throw state.failure;
        }
        more = await pump();
      }
      if (state.failure !== undefined) {
        throw state.failure;
      }
    })(),
  };
}
