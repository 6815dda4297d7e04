/**
 * The grammar of an image reference as the engine takes it (distribution/reference):
 * `[host[:port]/]path[:tag][@algorithm:hex]`, the path lower case. Checked before a reference
 * reaches the engine, which answers some malformed ones with a redirect or a crash rather than
 * an error (`..` is a request path of its own).
 */
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const DOMAIN_PART = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const HOST = `(?:${DOMAIN_PART}(?:\\.${DOMAIN_PART})*|\\[[0-9a-fA-F:]+\\])`;
const REFERENCE = new RegExp(
  `^(?:(?<domain>${HOST}(?::[0-9]+)?)/)?(?<path>${COMPONENT}(?:/${COMPONENT})*)(?::(?<tag>[\\w][\\w.-]{0,127}))?(?:@(?<digest>[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$`,
);
const NAME_MAX = 255;

/** Why `ref` is not an image reference, or undefined when it is one. */
export function imageRefProblem(ref: string): string | undefined {
  if (ref === '') return 'it is empty';
  if (/\s/.test(ref)) return 'it contains white space';
  const m = REFERENCE.exec(ref);
  if (!m?.groups) {
    if (ref !== ref.toLowerCase() && REFERENCE.test(lowerName(ref))) return 'the repository name must be lower case';
    return 'it is not of the form [registry[:port]/]name[:tag][@sha256:digest]';
  }
  // A first component with no dot, no port and not localhost is a path component, not a registry: "Library/x" is upper case in the path.
  const domain = m.groups['domain'];
  if (domain !== undefined && !/[.:[]/.test(domain) && domain !== 'localhost' && domain !== domain.toLowerCase()) return 'the repository name must be lower case';
  const name = `${domain !== undefined ? `${domain}/` : ''}${m.groups['path'] ?? ''}`;
  if (name.length > NAME_MAX) return `its name is longer than ${NAME_MAX} characters`;
  return undefined;
}

/** The reference with its name (not its tag or digest) lower-cased, to tell "upper case" apart from other mistakes. */
function lowerName(ref: string): string {
  const at = ref.indexOf('@');
  const head = at < 0 ? ref : ref.slice(0, at);
  const colon = head.lastIndexOf(':');
  const slash = head.lastIndexOf('/');
  const nameEnd = colon > slash ? colon : head.length;
  return `${head.slice(0, nameEnd).toLowerCase()}${ref.slice(nameEnd)}`;
}
