// A graph of what runs after what (stages by `depends_on`, and a stage's steps: by `depends_on`, else one
// after another), laid out by dagre: nodes are links, edges an SVG drawn under them.

import dagre from '@dagrejs/dagre';
import { useMemo } from 'react';
import { Link } from 'react-router';
import type { Status } from '../api/types';
import { StatusIcon } from '../components/StatusIcon';

export interface GraphNode {
  name: string;
  status: Status | string;
  dependsOn: string[];
  to: string;
  selected: boolean;
}

const NODE_WIDTH = 150;
const NODE_HEIGHT = 36;

interface Layout {
  width: number;
  height: number;
  positions: Map<string, { x: number; y: number }>;
  edges: Array<{ key: string; points: Array<{ x: number; y: number }> }>;
}

function layout(nodes: GraphNode[]): Layout {
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: 'LR', nodesep: 16, ranksep: 48, marginx: 8, marginy: 8 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const node of nodes) graph.setNode(node.name, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const node of nodes) for (const dependency of node.dependsOn) if (graph.hasNode(dependency)) graph.setEdge(dependency, node.name);
  dagre.layout(graph);
  const positions = new Map(nodes.map((node) => [node.name, graph.node(node.name)]));
  const edges = graph.edges().map((edge) => ({ key: `${edge.v}->${edge.w}`, points: graph.edge(edge).points ?? [] }));
  const { width = 0, height = 0 } = graph.graph();
  return { width, height, positions, edges };
}

export function DependencyGraph({ nodes, label }: { nodes: GraphNode[]; label: string }) {
  const { width, height, positions, edges } = useMemo(() => layout(nodes), [nodes]);
  return (
    <div className="graph" role="group" aria-label={label} tabIndex={0}>
      <div className="graph-canvas" style={{ width, height }}>
        <svg width={width} height={height} aria-hidden="true">
          {edges.map((edge) => (
            <polyline key={edge.key} points={edge.points.map((p) => `${p.x},${p.y}`).join(' ')} />
          ))}
        </svg>
        {nodes.map((node) => {
          const at = positions.get(node.name);
          if (!at) return null;
          return (
            <Link
              key={node.name}
              to={node.to}
              className="graph-node"
              aria-current={node.selected ? 'page' : undefined}
              style={{ left: at.x - NODE_WIDTH / 2, top: at.y - NODE_HEIGHT / 2, width: NODE_WIDTH, height: NODE_HEIGHT }}
            >
              <StatusIcon status={node.status} />
              <span>{node.name}</span>
            </Link>
          );
        })}
      </div>
    </div>
  );
}
