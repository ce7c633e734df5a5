// Settings › Badges: the status badge of the repository as Markdown and HTML, to copy.

import { useState } from 'react';
import { repoPage } from '../../api/paths';
import { useRepoRef } from '../use-repo-ref';

export function BadgeSettings() {
  const ref = useRepoRef();
  const [branch, setBranch] = useState('');
  const origin = window.location.origin;
  const image = `${origin}/api/badges/${ref.owner}/${ref.name}/status.svg${branch ? `?ref=refs/heads/${encodeURIComponent(branch)}` : ''}`;
  const page = `${origin}${repoPage(ref)}`;
  return (
    <>
      <h2>Badges</h2>
      <label>
        Branch
        <input placeholder="the default branch" value={branch} onChange={(e) => setBranch(e.target.value)} />
      </label>
      <p>
        <img src={image} alt="Build status" />
      </p>
      <h3>Markdown</h3>
      <pre className="code" tabIndex={0}>{`[![Build Status](${image})](${page})`}</pre>
      <h3>HTML</h3>
      <pre className="code" tabIndex={0}>{`<a href="${page}"><img src="${image}" alt="Build Status"></a>`}</pre>
    </>
  );
}
