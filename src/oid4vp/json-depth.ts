/**
 * The nesting depth of a JSON text, found by one linear scan of its brackets
 * outside strings: no parsing, no recursion, so a hostile `[[[[…]]]]` costs
 * time proportional to its length and never the stack. Text that is not JSON
 * gets some answer; the parser refuses it later anyway.
 * @see https://www.rfc-editor.org/rfc/rfc8259#section-9 (implementations may limit nesting depth)
 */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // a backslash escapes the next character, a quote included
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if ((c === 0x5d || c === 0x7d) && depth > 0) {
      depth--;
    }
  }
  return false;
}
