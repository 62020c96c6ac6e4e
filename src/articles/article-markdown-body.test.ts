import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ArticleBody, Block } from './article-body.js';
import { ArticleFileError } from './article-file-error.js';
import { bodyToMarkdown, markdownToBody } from './article-markdown-body.js';

function paragraph(value: string): Block {
  return { type: 'paragraph', children: [{ type: 'text', value }] };
}

describe('reading a Markdown body', () => {
  it('maps every supported Markdown construct to a body node', () => {
    const source = [
      '# Top',
      '',
      '### Third',
      '',
      '#### Fourth',
      '',
      'Plain *em* **strong** `code` [link](https://example.com/a?b=1)',
      'soft line, hard  ',
      'break\\',
      'again <https://kcna.example>',
      '',
      '> quoted',
      '',
      '- tight one',
      '- tight two',
      '',
      '1. loose one',
      '',
      '   still one',
      '',
      '2. loose two',
      '',
      '***',
    ].join('\n');

    const body = markdownToBody(source, 'body.md', 1);

    assert.deepEqual(body.blocks, [
      { type: 'heading', level: 2, children: [{ type: 'text', value: 'Top' }] },
      { type: 'heading', level: 3, children: [{ type: 'text', value: 'Third' }] },
      { type: 'heading', level: 3, children: [{ type: 'text', value: 'Fourth' }] },
      {
        type: 'paragraph',
        children: [
          { type: 'text', value: 'Plain ' },
          { type: 'emphasis', children: [{ type: 'text', value: 'em' }] },
          { type: 'text', value: ' ' },
          { type: 'strong', children: [{ type: 'text', value: 'strong' }] },
          { type: 'text', value: ' ' },
          { type: 'code', value: 'code' },
          { type: 'text', value: ' ' },
          {
            type: 'link',
            href: 'https://example.com/a?b=1',
            children: [{ type: 'text', value: 'link' }],
          },
          { type: 'text', value: ' soft line, hard' },
          { type: 'break' },
          { type: 'text', value: 'break' },
          { type: 'break' },
          { type: 'text', value: 'again ' },
          {
            type: 'link',
            href: 'https://kcna.example',
            children: [{ type: 'text', value: 'https://kcna.example' }],
          },
        ],
      },
      { type: 'blockquote', children: [paragraph('quoted')] },
      { type: 'list', ordered: false, items: [[paragraph('tight one')], [paragraph('tight two')]] },
      {
        type: 'list',
        ordered: true,
        items: [[paragraph('loose one'), paragraph('still one')], [paragraph('loose two')]],
      },
      { type: 'rule' },
    ]);
  });

  it('keeps raw HTML as literal text', () => {
    const body = markdownToBody('<script>alert(1)</script>', 'body.md', 1);

    assert.deepEqual(body.blocks, [paragraph('<script>alert(1)</script>')]);
  });

  it('counts body lines from the line it is told the body starts on', () => {
    assert.throws(
      () => markdownToBody('One.\n\n![x](https://images.example/x.png)', 'a.md', 20),
      (error) => error instanceof ArticleFileError && error.line === 22 && error.field === 'body',
    );
  });
});

describe('writing a Markdown body', () => {
  it('writes text that would read as Markdown with escapes', () => {
    const markdown = bodyToMarkdown({
      type: 'doc',
      version: 1,
      blocks: [
        paragraph('*not emphasis*'),
        paragraph('1. not a list'),
        paragraph('# not a heading'),
      ],
    });

    assert.equal(markdown, '\\*not emphasis\\*\n\n1\\. not a list\n\n\\# not a heading');
  });

  it('refuses a body that no Markdown could bring back, rather than change it', () => {
    const body: ArticleBody = {
      type: 'doc',
      version: 1,
      blocks: [{ type: 'paragraph', children: [{ type: 'emphasis', children: [] }] }],
    };

    assert.throws(() => bodyToMarkdown(body), /cannot be written as Markdown/);
  });
});
