/** `-p [ip:][hostPort:]containerPort[/proto]` → containerPort when TCP (ranges are not probed). */
export function containerPortOfPublish(spec: string): number | undefined {
  const [addr, proto = 'tcp'] = spec.split('/');
  if (proto !== 'tcp' || addr === undefined) return undefined;
  const last = addr.slice(addr.lastIndexOf(':') + 1);
  return /^\d+$/.test(last) ? Number(last) : undefined;
}
