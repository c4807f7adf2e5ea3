declare module "activitypub-express" {
  const ActivitypubExpress: (settings: Record<string, unknown>) => any;
  export default ActivitypubExpress;
}
declare module "express" {
  const express: any;
  export default express;
}
