// The screens every browser test of the page's layout and controls runs at: two laptops, a desktop, a phone.
export const SCREENS = [
  { width: 1366, height: 768 },
  { width: 1280, height: 720 },
  { width: 1400, height: 900 },
  { width: 390, height: 844 },
] as const;
