/**
 * Why an id cannot travel in a msgType-7 attr, or `undefined` when it can. Visible ASCII only,
 * without `&` and `=`: DataProxy splits the attr on both (a third `=` or a duplicate key is
 * errCode 109) and copies it by its UTF-16 length, so a multi-byte character corrupts the pack.
 * @example tcpIdProblem('groupId', 'g1') // undefined
 */
export function tcpIdProblem(field: string, id: string): string | undefined {
  if (typeof id !== 'string' || id.length === 0) return `${field} is empty`;
  for (let index = 0; index < id.length; index++) {
    const code = id.charCodeAt(index);
    if (code < 0x21 || code > 0x7e || code === 0x26 || code === 0x3d) {
      return `${field} ${JSON.stringify(id)}: a TCP attr carries visible ASCII but & and =`;
    }
  }
  return undefined;
}
