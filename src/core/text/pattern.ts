/** Text as a regular expression that matches it literally ("(记者)" → "\(记者\)"). */
export const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
