/** "GH" for Grace Hopper: the owner's initials next to their name, as in the user menu. */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words.at(-1)] : words;
  return letters.map((word) => Array.from(word ?? '')[0]?.toUpperCase() ?? '').join('');
}

export function OwnerName({ name }: { name: string }) {
  return (
    <span className="owner">
      <span className="avatar" aria-hidden="true">
        {initialsOf(name)}
      </span>
      {name}
    </span>
  );
}
