import type { JSX } from 'preact';
import { assertUnreachable } from '../lib/assert.js';
import { isSafeHref, type Block, type Inline } from './article-body.js';

/**
 * The allowlist: each node type maps to one element, text is always escaped by the renderer,
 * and a link whose address is not http(s) or mailto renders as its text alone (the importer
 * refuses such links already; this holds even for rows written some other way).
 */

function Inlines({ nodes }: { nodes: readonly Inline[] }) {
  return <>{nodes.map((node, index) => renderInline(node, index))}</>;
}

function renderInline(node: Inline, key: number): JSX.Element | string {
  switch (node.type) {
    case 'text':
      return node.value;
    case 'emphasis':
      return (
        <em key={key}>
          <Inlines nodes={node.children} />
        </em>
      );
    case 'strong':
      return (
        <strong key={key}>
          <Inlines nodes={node.children} />
        </strong>
      );
    case 'code':
      return <code key={key}>{node.value}</code>;
    case 'break':
      return <br key={key} />;
    case 'link':
      return isSafeHref(node.href) ? (
        <a key={key} href={node.href}>
          <Inlines nodes={node.children} />
        </a>
      ) : (
        <Inlines key={key} nodes={node.children} />
      );
    default:
      return assertUnreachable(node);
  }
}

export function Blocks({ blocks }: { blocks: readonly Block[] }) {
  return <>{blocks.map((block, index) => renderBlock(block, index))}</>;
}

function renderBlock(block: Block, key: number): JSX.Element {
  switch (block.type) {
    case 'paragraph':
      return (
        <p key={key}>
          <Inlines nodes={block.children} />
        </p>
      );
    case 'heading':
      return block.level === 2 ? (
        <h2 key={key}>
          <Inlines nodes={block.children} />
        </h2>
      ) : (
        <h3 key={key}>
          <Inlines nodes={block.children} />
        </h3>
      );
    case 'blockquote':
      return (
        <blockquote key={key}>
          <Blocks blocks={block.children} />
        </blockquote>
      );
    case 'list': {
      const items = block.items.map((item, i) => (
        <li key={i}>
          <Blocks blocks={item} />
        </li>
      ));
      return block.ordered ? <ol key={key}>{items}</ol> : <ul key={key}>{items}</ul>;
    }
    case 'rule':
      return <hr key={key} />;
    default:
      return assertUnreachable(block);
  }
}
