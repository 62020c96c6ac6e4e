// The story editor's entry (replaced by the ProseMirror editor).
export {};
