// Small inline icons (16px, currentColor) for the session and trace pages.
import type { SVGProps } from "react";

function Icon({ children, ...props }: SVGProps<SVGSVGElement>) {
  return (
    <svg
      width="14"
      height="14"
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.5"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
      {...props}
    >
      {children}
    </svg>
  );
}

export const ThumbUpIcon = () => (
  <Icon>
    <path d="M5 7v7H2.5V7H5Zm0 0 2.6-4.6a1.2 1.2 0 0 1 2.2.8L9.3 6.5h3.4a1.3 1.3 0 0 1 1.3 1.5l-.8 4.8a1.3 1.3 0 0 1-1.3 1.2H5" />
  </Icon>
);

export const ThumbDownIcon = () => (
  <Icon>
    <path d="M11 9V2h2.5v7H11Zm0 0-2.6 4.6a1.2 1.2 0 0 1-2.2-.8l.5-3.3H3.3A1.3 1.3 0 0 1 2 8l.8-4.8A1.3 1.3 0 0 1 4.1 2H11" />
  </Icon>
);

export const LinkIcon = () => (
  <Icon>
    <path d="M6.5 9.5a3 3 0 0 0 4.2 0l2.1-2.1a3 3 0 0 0-4.2-4.2l-.8.8M9.5 6.5a3 3 0 0 0-4.2 0L3.2 8.6a3 3 0 0 0 4.2 4.2l.8-.8" />
  </Icon>
);

export const DownloadIcon = () => (
  <Icon>
    <path d="M8 2.5v8M4.8 7.5 8 10.7l3.2-3.2M3 13.5h10" />
  </Icon>
);

export const CheckIcon = () => (
  <Icon>
    <path d="m3.5 8.5 3 3 6-7" />
  </Icon>
);

export const CloseIcon = () => (
  <Icon>
    <path d="m4 4 8 8M12 4l-8 8" />
  </Icon>
);

export const ChevronIcon = ({ open }: { open: boolean }) => (
  <Icon style={{ transform: open ? "rotate(90deg)" : undefined, transition: "transform 0.12s" }}>
    <path d="m6 4 4 4-4 4" />
  </Icon>
);

export const ExternalIcon = () => (
  <Icon>
    <path d="M9.5 2.5h4v4M13.5 2.5 7.5 8.5M11.5 9.5v3a1 1 0 0 1-1 1h-7a1 1 0 0 1-1-1v-7a1 1 0 0 1 1-1h3" />
  </Icon>
);

export const ToolIcon = () => (
  <Icon>
    <path d="M9.8 2.7a3.2 3.2 0 0 0-3.9 4.2L2.6 10.2a1.3 1.3 0 0 0 1.9 1.9l3.3-3.3a3.2 3.2 0 0 0 4.2-3.9l-2 2-1.8-.3-.3-1.8 2-2Z" />
  </Icon>
);

export const ReturnIcon = () => (
  <Icon>
    <path d="M3 3v4.5a2 2 0 0 0 2 2h8M10 6.5l3 3-3 3" />
  </Icon>
);
