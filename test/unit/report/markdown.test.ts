import { describe, expect, it } from '@jest/globals'
import { codeSpan, escapeText, showControls, tableRow } from '../../../src/report/markdown.js'

describe('showControls', () => {
  it.each([
    ['a\nb', 'a\\nb'],
    ['a\r\n\tb\u0000', 'a\\r\\n\\tb\\0'],
    ['\u001b[31mred\u007f\u0085', '\\x1B[31mred\\x7F\\x85'],
    ['line\u2028para\u2029', 'line\\u2028para\\u2029'],
    ['abc\u202edcba\u2066\u200f', 'abc\\u202Edcba\\u2066\\u200F'],
    ['lone \ud800 surrogate', 'lone \\uD800 surrogate'],
    ['/usr/lib/go-1.19 é 😀', '/usr/lib/go-1.19 é 😀']
  ])('%j → %j', (input, expected) => {
    expect(showControls(input)).toBe(expected)
  })
})

describe('escapeText', () => {
  it.each([
    ['/usr/lib/go-1.19/bin/go', '/usr/lib/go-1.19/bin/go'],
    ['</details><img src=x>', '&#60;/details&#62;&#60;img src=x&#62;'],
    ['@octocat and @org/team, not a@b', '@&#8203;octocat and @&#8203;org/team, not a@&#8203;b'],
    ['see #12 and # 3', 'see &#35;&#8203;12 and &#35; 3'],
    ['a\n## heading', 'a&#92;n&#35;&#35; heading'],
    ['## heading', '&#35;&#35; heading'],
    ['- [x] approved', '&#45; &#91;x&#93; approved'],
    ['12. item', '12&#46; item'],
    ['1) item', '1&#41; item'],
    ['+ item', '&#43; item'],
    ['=== setext', '&#61;== setext'],
    ['    indented', '&#32;   indented'],
    ['**bold** _em_ ~del~ `code` $x$', '&#42;&#42;bold&#42;&#42; &#95;em&#95; &#126;del&#126; &#96;code&#96; &#36;x&#36;'],
    ['![img](http://x/y.png)', '!&#91;img&#93;(http://x/y.png)'],
    ['a|b \\| c', 'a&#124;b &#92;&#124; c'],
    ['&amp; &#60; && a&b', '&#38;amp; &#38;&#35;&#8203;60; && a&#38;b'],
    ['<!-- image-size-gate: key="x" -->', '&#60;!-- image-size-gate: key="x" --&#62;'],
    ['> quoted', '&#62; quoted']
  ])('%j → %j', (input, expected) => {
    expect(escapeText(input)).toBe(expected)
  })
})

describe('codeSpan', () => {
  it.each([
    ['/usr/lib/go-1.19', '<code>/usr/lib/go-1.19</code>'],
    ['RUN apk add curl | tee /log && echo ok', '<code>RUN apk add curl &#124; tee /log && echo ok</code>'],
    ['a`b``c', '<code>a&#96;b&#96;&#96;c</code>'],
    ['`edge` ', '<code>&#96;edge&#96; </code>'],
    ['</code><img src=x>', '<code>&#60;/code&#62;&#60;img src=x&#62;</code>'],
    ['@octocat #12', '<code>@octocat &#35;12</code>'],
    ['a\n## b', '<code>a&#92;n&#35;&#35; b</code>'],
    ['', '<code></code>']
  ])('%j → %j', (input, expected) => {
    expect(codeSpan(input)).toBe(expected)
  })
})

describe('tableRow', () => {
  it('joins cells that stay cells', () => {
    expect(tableRow([codeSpan('a|b'), escapeText('c|d'), '3'])).toBe('| <code>a&#124;b</code> | c&#124;d | 3 |')
  })
})
