// Placeholder: filled in by the runtime preset work. Exports nothing yet.
export {};
